// pykyll jekyll-scholar: the abstract/BibTeX toggles and "N more authors" of
// {% bibliography %} and {% paper_box %}. No libraries. Buttons carry aria-expanded and
// aria-controls (the panel's id); opening one panel of an entry closes its others, as in
// al-folio.
(function () {
  "use strict";
  if (window.pykyllScholar) {
    return;
  }
  window.pykyllScholar = true;

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function setOpen(button, open) {
    var panel = panelOf(button);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) {
      panel.hidden = !open;
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var toggle = target.closest("[data-bib-toggle]");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      var entry = toggle.closest("[data-bib-entry]");
      if (open && entry) {
        entry.querySelectorAll("[data-bib-toggle]").forEach(function (other) {
          if (other !== toggle) {
            setOpen(other, false);
          }
        });
      }
      setOpen(toggle, open);
      return;
    }
    var more = target.closest("[data-more-authors]");
    if (more) {
      var list = panelOf(more);
      more.setAttribute("aria-expanded", "true");
      if (list) {
        list.hidden = false;
        more.hidden = true;
        list.focus();
      }
    }
  });
})();
