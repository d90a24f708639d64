/* The timeline's filters: only incidents or only statements, and only the entries that
   concern one actor. The choice lives in the address (?kind=statements&actor=russia), so a
   filtered view can be shared. The page holds a hidden list of its actors; this script
   makes the controls from it and shows them. Without JavaScript there are no controls and
   the whole timeline shows. */
(function () {
  "use strict";

  const holder = document.querySelector("[data-explainer-filter]");
  if (!holder) {
    return;
  }
  const content = holder.closest("article") || document.body;
  const entries = Array.from(content.querySelectorAll("li[data-kind]"));
  const periods = Array.from(content.querySelectorAll(".explainer-period"));
  // The controls' words, in the page's language (the template writes them).
  const WORDS = Object.assign({
    show: "Show", everything: "Everything", incidents: "Incidents", statements: "Statements",
    concerning: "Concerning", every_actor: "Every actor", showing: "Showing {shown} of {total} entries.",
  }, JSON.parse(holder.dataset.words || "{}"));
  const KINDS = [["", WORDS.everything], ["incidents", WORDS.incidents], ["statements", WORDS.statements]];
  const KEYS = ["kind", "actor"];

  function element(tag, properties, children) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...(children || []));
    return node;
  }

  function controls() {
    const actors = Array.from(holder.querySelectorAll("[data-actor]"), (item) => [item.dataset.actor, item.textContent]);
    const kinds = KINDS.map(([value, label]) => element("label", {}, [element("input", { type: "radio", name: "kind", value: value }), " " + label]));
    const choices = [["", WORDS.every_actor], ...actors].map(([value, label]) => element("option", { value: value, textContent: label }));
    const count = element("p", { className: "explainer-filter__count" });
    count.setAttribute("role", "status");
    return element("form", { className: "explainer-filter__form" }, [
      element("fieldset", {}, [element("legend", { textContent: WORDS.show }), ...kinds]),
      element("p", { className: "explainer-filter__actor" }, [
        element("label", { htmlFor: "explainer-filter-actor", textContent: WORDS.concerning }),
        element("select", { id: "explainer-filter-actor", name: "actor" }, choices),
      ]),
      count,
    ]);
  }

  // The values a control offers: an address may name an actor not on this page.
  function offered(form, key) {
    const control = form.elements.namedItem(key);
    const options = control instanceof RadioNodeList ? Array.from(control) : Array.from(control.options);
    return options.map((option) => option.value);
  }

  function fromAddress(form) {
    const params = new URLSearchParams(window.location.search);
    const state = {};
    for (const key of KEYS) {
      const value = params.get(key) || "";
      state[key] = offered(form, key).includes(value) ? value : "";
    }
    return state;
  }

  function fromForm(form) {
    const state = {};
    for (const key of KEYS) {
      state[key] = form.elements.namedItem(key).value;
    }
    return state;
  }

  function toAddress(state) {
    const params = new URLSearchParams(window.location.search);
    for (const key of KEYS) {
      if (state[key]) {
        params.set(key, state[key]);
      } else {
        params.delete(key);
      }
    }
    const query = params.toString();
    const address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
  }

  function matches(entry, state) {
    return (!state.kind || entry.dataset.kind === state.kind)
      && (!state.actor || entry.dataset.actors.split(" ").includes(state.actor));
  }

  function isHeadingAtOrAbove(element, level) {
    return /^H[1-6]$/.test(element.tagName) && Number(element.tagName.slice(1)) <= level;
  }

  // A list, a month or a year with nothing left to show goes too, with its table-of-contents link.
  function hideEmpty() {
    for (const list of content.querySelectorAll("ul.explainer-timeline")) {
      list.hidden = !list.querySelector("li[data-kind]:not([hidden])");
    }
    for (const heading of periods) {
      const level = Number(heading.tagName.slice(1));
      let shown = false;
      for (let next = heading.nextElementSibling; next && !isHeadingAtOrAbove(next, level); next = next.nextElementSibling) {
        shown = shown || Boolean(next.querySelector("li[data-kind]:not([hidden])"));
      }
      heading.hidden = !shown;
      for (const link of document.querySelectorAll(`.md-nav--secondary a[href="#${heading.id}"]`)) {
        link.parentElement.hidden = !shown;
      }
    }
  }

  function show(form, state) {
    let count = 0;
    for (const entry of entries) {
      entry.hidden = !matches(entry, state);
      count += entry.hidden ? 0 : 1;
    }
    hideEmpty();
    const filtered = KEYS.some((key) => state[key]);
    const showing = WORDS.showing.replace("{shown}", count).replace("{total}", entries.length);
    form.querySelector("[role=status]").textContent = filtered ? showing : "";
  }

  const form = controls();
  holder.replaceChildren(form);
  const start = fromAddress(form);
  for (const radio of form.elements.namedItem("kind")) {
    radio.checked = radio.value === start.kind;
  }
  form.elements.namedItem("actor").value = start.actor;
  show(form, start);
  holder.hidden = false;
  form.addEventListener("change", () => {
    const state = fromForm(form);
    show(form, state);
    toAddress(state);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
}());
