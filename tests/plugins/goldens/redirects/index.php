<!DOCTYPE html>
<html lang="en-US">
  <meta charset="utf-8">
  <title>Redirecting&hellip;</title>
  <link rel="canonical" href="https://lee.example.edu/people/lee/">
  <script>location="https://lee.example.edu/people/lee/"</script>
  <meta http-equiv="refresh" content="0; url=https://lee.example.edu/people/lee/">
  <meta name="robots" content="noindex">
  <h1>Redirecting&hellip;</h1>
  <a href="https://lee.example.edu/people/lee/">Click here if you are not redirected.</a>
</html>
