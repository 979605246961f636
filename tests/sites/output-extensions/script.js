---
---
var title = {{ site.title | jsonify }};
