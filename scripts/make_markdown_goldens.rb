#!/usr/bin/env ruby
# frozen_string_literal: true

# Regenerates tests/markdown/pages/*.html from tests/markdown/pages/*.md with real Jekyll:
# the markdown converter Jekyll itself sets up from its default configuration (kramdown,
# GFM input, Rouge, Jekyll's option hand-over).
#
#   JEKYLL_NO_BUNDLER_REQUIRE=true ruby scripts/make_markdown_goldens.rb [PAGES_DIR]

require "jekyll"
require "tmpdir"

pages = File.expand_path(ARGV[0] || File.join(__dir__, "..", "tests", "markdown", "pages"))
Dir.mktmpdir do |tmp|
  config = Jekyll.configuration(
    "quiet" => true, "source" => tmp, "destination" => File.join(tmp, "_site")
  )
  converter = Jekyll::Site.new(config).find_converter_instance(Jekyll::Converters::Markdown)
  Dir[File.join(pages, "*.md")].sort.each do |path|
    html = converter.convert(File.read(path, encoding: "UTF-8"))
    File.write(path.sub(/\.md\z/, ".html"), html)
    puts "wrote #{File.basename(path, ".md")}.html"
  end
end
