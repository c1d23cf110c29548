/* Start Swagger UI (the API reference at /api/v1/docs) and keep it accessible as it renders.
 *
 * Swagger UI leaves a few WCAG 2.1 A/AA gaps that axe-core finds; each is mended on the
 * elements the UI adds (a MutationObserver), so it holds for operations opened later too:
 * - an operation's toggle button is labelled "get /api/v1/…" while it shows "GET /api/v1/…
 *   <summary>" (2.5.3 Label in Name): the label is dropped, the visible text names it;
 * - a parameter's select or input has no label (1.3.1, 4.1.2): it is named after the
 *   parameter; so is the value input of the Authorize dialog, after its scheme;
 * - the dialog's close button, the copy button and an open schema property's toggle show
 *   only an icon (4.1.2): they are named (the toggle after its property);
 *   the request body's and the curl command's text areas are labelled;
 * - an example or response body scrolls sideways but cannot be focused (2.1.1): it can. */
(function () {
  "use strict";
  var script = document.currentScript;
  var config = {url: script.dataset.specUrl, dom_id: "#swagger-ui-container",
                syntaxHighlight: false};
  var overrides = JSON.parse(script.dataset.config || "{}");
  Object.keys(overrides).forEach(function (name) { config[name] = overrides[name]; });

  // Elements Swagger UI leaves unnamed, and the name each one gets.
  var LABELS = [
    ["button.close-modal", "Close"],
    [".copy-to-clipboard button", "Copy to clipboard"],
    ["textarea.curl", "curl command"],
    ["textarea.body-param__text", "Request body"]
  ];

  function each(root, selector, mend) {
    root.querySelectorAll(selector).forEach(mend);
  }

  function mend(root) {
    each(root, ".opblock-summary-control[aria-label]", function (button) {
      button.removeAttribute("aria-label");
    });
    each(root, "tr[data-param-name] select:not([aria-label]), " +
               "tr[data-param-name] input:not([aria-label]), " +
               "tr[data-param-name] textarea:not([aria-label])", function (field) {
      var row = field.closest("tr[data-param-name]");
      field.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
    each(root, ".modal-ux .auth-container input:not([aria-label])", function (field) {
      var scheme = field.closest(".auth-container").querySelector("h4");
      field.setAttribute("aria-label", (scheme ? scheme.textContent.trim() + ": " : "") +
                         "value");
    });
    LABELS.forEach(function (pair) {
      each(root, pair[0] + ":not([aria-label])", function (element) {
        element.setAttribute("aria-label", pair[1]);
      });
    });
    each(root, "button.model-box-control", function (button) {
      var row = button.closest("tr.property-row");
      if (button.textContent.trim() || !row) {
        button.removeAttribute("aria-label");
      } else {
        button.setAttribute("aria-label", row.querySelector("td").textContent.replace("*", "")
                                                                  .trim());
      }
    });
    each(root, "pre.microlight:not([tabindex])", function (block) {
      block.setAttribute("tabindex", "0");
    });
  }

  window.addEventListener("load", function () {
    new MutationObserver(function () { mend(document.body); })
      .observe(document.body, {childList: true, subtree: true});
    window.ui = SwaggerUIBundle(config);
  });
})();
