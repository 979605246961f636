// Client-side refresh of the Google Scholar numbers (opt-in: `scholar_stats.refresh: true`).
//
// pykyll-scholar-stats already wrote the numbers into the page at build time; this script
// replaces them with the latest gs_data.json from the crawler's branch, as AcadHomepage
// does: the total (#total_cit, .scholar-citedby), the h-index (#h_index, .scholar-hindex)
// and every <span class='show_paper_citations' data='PAPER_ID'></span>. No libraries; on
// failure the build-time numbers stay and a warning goes to the console.
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.getAttribute("data-gs-url");
  if (!url || !window.fetch) {
    return;
  }

  function setAll(selector, value) {
    if (value === undefined || value === null) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      el.textContent = String(value);
    });
  }

  function fill(data) {
    setAll("#total_cit, .scholar-citedby", data.citedby);
    setAll("#h_index, .scholar-hindex", data.hindex);
    var publications = data.publications || {};
    var spans = document.querySelectorAll(".show_paper_citations");
    Array.prototype.forEach.call(spans, function (span) {
      var paper = publications[span.getAttribute("data")];
      if (paper && paper.num_citations !== undefined) {
        span.textContent = "| Citations: " + paper.num_citations;
      }
    });
  }

  fetch(url)
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + response.statusText);
      }
      return response.json();
    })
    .then(fill)
    .catch(function (error) {
      if (window.console) {
        console.warn("Google Scholar stats not refreshed: " + error.message);
      }
    });
})();
