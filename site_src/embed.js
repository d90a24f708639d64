/* For a page that embeds this explainer (README: "Embed the story"). Each iframe that shows one
   of the explainer's embeds (its address: the site's, then `embed/` or `<language>/embed/`)
   takes the height of what it shows, and an embed's address with an anchor
   (embed/timeline/#y2025) scrolls this page to that place in the frame. The frames' origin is
   the one their `src` names, which must be this script's own: this script says hello to each
   frame at that origin only, and takes messages only from that frame's window at that origin,
   and only a height and an offset from them. */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script) {
    return;
  }
  const site = new URL(".", script.src); // embed.js sits at the site's root
  const EMBED = /^([a-z]{2,3}(-[A-Za-z0-9]+)*\/)?embed\//;
  const registry = (window.explainerEmbeds = window.explainerEmbeds || {});
  if (registry[site.href]) {
    return; // a page with several embeds loads this script for each
  }
  const frames = []; // {frame, origin}
  registry[site.href] = frames;

  // The address of `frame` if it shows one of this site's embeds, else null.
  function embedded(frame) {
    const address = new URL(frame.getAttribute("src"), document.baseURI);
    const path = address.pathname;
    const ours = address.origin === site.origin && path.startsWith(site.pathname);
    return ours && EMBED.test(path.slice(site.pathname.length)) ? address : null;
  }

  function hello(entry) {
    if (entry.frame.contentWindow) {
      entry.frame.contentWindow.postMessage({ explainer: "embed-host" }, entry.origin);
    }
  }

  function find() {
    for (const frame of document.querySelectorAll("iframe[src]")) {
      const address = embedded(frame);
      if (address === null || frames.some((entry) => entry.frame === frame)) {
        continue;
      }
      const entry = { frame: frame, origin: address.origin };
      frames.push(entry);
      frame.addEventListener("load", () => hello(entry));
      hello(entry); // in case it loaded before this script ran
    }
  }

  window.addEventListener("message", (event) => {
    const entry = frames.find((known) => known.frame.contentWindow === event.source);
    const data = event.data;
    if (!entry || event.origin !== entry.origin || !data || data.explainer !== "embed") {
      return;
    }
    if (Number.isFinite(data.height) && data.height >= 0) {
      entry.frame.style.height = Math.ceil(data.height) + "px";
    }
    if (Number.isFinite(data.anchor)) {
      const top = entry.frame.getBoundingClientRect().top + window.scrollY + data.anchor;
      window.scrollTo({ top: top, behavior: "auto" });
    }
  });

  find();
  document.addEventListener("DOMContentLoaded", find);
  window.addEventListener("load", find);
})();
