// Fills the Google Scholar numbers from google-scholar-stats/gs_data.json (the file
// AcadHomepage's crawler writes): the total citations and h-index in the author card,
// and every <span class='show_paper_citations' data='PAPER_ID'></span> on the page.
// No libraries, no requests to other sites; without JavaScript the spans stay empty
// (and hidden by the stylesheet).
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.getAttribute("data-gs-url");
  if (!url || !window.fetch) {
    return;
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el && value !== undefined && value !== null) {
      el.textContent = String(value);
    }
  }

  function fill(data) {
    setText("total_cit", data.citedby);
    setText("h_index", data.hindex);
    var stats = document.querySelector(".author__stats");
    if (stats && data.citedby !== undefined) {
      stats.hidden = false;
    }
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
        console.warn("Google Scholar stats unavailable: " + error.message);
      }
    });
})();
