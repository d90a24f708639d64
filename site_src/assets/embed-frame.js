/* An embed's half of its sizing (the host page runs /embed.js, the other half). The host says
   hello; from then on this page tells that page, at the origin the hello came from and no
   other, its height whenever it changes and, when its address names an element (#y2025) or a
   reader follows a link to one, that element's offset, so that the host scrolls its own window
   there: a frame as tall as its content has nothing to scroll. Nothing else leaves the frame.
   Opened on its own, the page is left to the browser, which scrolls to the element itself. */
(function () {
  "use strict";

  if (window.parent === window) {
    return;
  }
  let host = null; // the origin of the page that framed this one, from its hello

  function height() {
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function offset(hash) {
    const id = decodeURIComponent(hash.slice(1));
    const target = id && document.getElementById(id);
    return target ? Math.round(target.getBoundingClientRect().top + window.scrollY) : null;
  }

  function tell(anchor) {
    const message = { explainer: "embed", height: height() };
    if (anchor !== null) {
      message.anchor = anchor;
    }
    window.parent.postMessage(message, host);
  }

  window.addEventListener("message", (event) => {
    const hello = event.data && event.data.explainer === "embed-host";
    if (event.source !== window.parent || !hello || event.origin === "null") {
      return;
    }
    if (host !== null && event.origin !== host) {
      return; // a page that framed this one said hello already
    }
    const first = host === null;
    host = event.origin;
    tell(offset(window.location.hash));
    if (first) {
      new ResizeObserver(() => tell(null)).observe(document.documentElement);
    }
  });

  // A link to a place in this page: the host scrolls there (the page's links open in the
  // whole window, `<base target="_top">`, which would leave the article).
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (link === null || host === null) {
      return;
    }
    event.preventDefault();
    tell(offset(link.getAttribute("href")));
  });
})();
