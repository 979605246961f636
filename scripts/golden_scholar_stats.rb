# frozen_string_literal: true

# Jekyll's half of the example-site golden: an independent Ruby version of pykyll's
# built-in `pykyll-scholar-stats` plugin (src/pykyll/plugins/builtin/scholar_stats.py).
#
# scripts/make_example_golden.py copies this file into the temporary site's _plugins/
# so that real Jekyll writes the Google Scholar numbers and the badge the same way pykyll
# does; tests/test_example_site.py then compares pykyll's whole output, numbers and
# badge included, with Jekyll's. It is not shipped: pykyll users never need Ruby.
#
# What it does, as the Python plugin: read google-scholar-stats/gs_data.json (or the
# `scholar_stats.file` setting, or _data/gs_data.json), set site.scholar_stats.citedby,
# .hindex, .i10index, .updated and .badge_url, add the SVG badge as a page, and after
# rendering fill `show_paper_citations` spans, #total_cit and #h_index, and point
# img.shields.io endpoint images for gs_data_shieldsio.json at the local badge.

require "json"

module PykyllScholarStats
  DEFAULT_FILE = "google-scholar-stats/gs_data.json"
  DATA_FILE = "_data/gs_data.json"
  DEFAULT_BADGE = "/assets/images/scholar-badge.svg"
  WIDTHS = {
    " " => 35, "a" => 67, "b" => 69, "c" => 58, "d" => 69, "e" => 66, "f" => 38,
    "g" => 69, "h" => 70, "i" => 30, "j" => 38, "k" => 65, "l" => 30, "m" => 107,
    "n" => 70, "o" => 67, "p" => 69, "q" => 69, "r" => 47, "s" => 57, "t" => 43,
    "u" => 70, "v" => 65, "w" => 90, "x" => 65, "y" => 65, "z" => 58, "." => 35,
    "," => 35, ":" => 40, "-" => 50, "+" => 92, "/" => 50, "(" => 50, ")" => 50,
  }.merge(("0".."9").to_h { |d| [d, 70] }).freeze
  DEFAULT_WIDTH = 75
  LEAF = %r!<([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?>([^<]*)</\1>!.freeze
  ID = %r!\bid\s*=\s*(["'])(total_cit|h_index)\1!.freeze
  CITATION_CLASS = %r!\bclass\s*=\s*(["'])[^"']*\bshow_paper_citations\b[^"']*\1!.freeze
  DATA = %r!\bdata\s*=\s*(["'])(.*?)\1!.freeze
  SHIELDS_SRC = %r!\bsrc\s*=\s*(["'])https?://img\.shields\.io/endpoint\?[^"']*gs_data_shieldsio\.json[^"']*\1!.freeze

  class << self
    attr_accessor :stats, :badge_url

    def escape(text)
      text.to_s.gsub("&", "&amp;").gsub("<", "&lt;").gsub(">", "&gt;")
        .gsub('"', "&quot;").gsub("'", "&#x27;")
    end

    def unescape(text)
      text.gsub("&quot;", '"').gsub("&#x27;", "'").gsub("&#39;", "'")
        .gsub("&lt;", "<").gsub("&gt;", ">").gsub("&amp;", "&")
    end

    def text_width(text)
      (text.each_char.sum { |c| WIDTHS.fetch(c, DEFAULT_WIDTH) } + 9) / 10
    end

    def badge_svg(label, message)
      label_text = text_width(label)
      message_text = text_width(message)
      left = label_text + 10
      right = message_text + 10
      width = left + right
      title = escape("#{label}: #{message}")
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"#{width}\" height=\"20\" role=\"img\" " \
        "aria-label=\"#{title}\"><title>#{title}</title>" \
        "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" " \
        "stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>" \
        "<clipPath id=\"r\"><rect width=\"#{width}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>" \
        "<g clip-path=\"url(#r)\"><rect width=\"#{left}\" height=\"20\" fill=\"#f6f6f6\"/>" \
        "<rect x=\"#{left}\" width=\"#{right}\" height=\"20\" fill=\"#9cf\"/>" \
        "<rect width=\"#{width}\" height=\"20\" fill=\"url(#s)\"/></g>" \
        "<g fill=\"#333\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" " \
        "text-rendering=\"geometricPrecision\" font-size=\"110\">" \
        "<text x=\"#{left * 5}\" y=\"140\" transform=\"scale(.1)\" textLength=\"#{label_text * 10}\">" \
        "#{escape(label)}</text>" \
        "<text x=\"#{(left * 2 + right) * 5}\" y=\"140\" transform=\"scale(.1)\" " \
        "textLength=\"#{message_text * 10}\">#{escape(message)}</text></g></svg>\n"
    end

    def count(value)
      return value if value.is_a?(Integer)
      return value.strip.to_i if value.is_a?(String) && value.strip.match?(%r!\A\d+\z!)

      nil
    end

    def fill(output, site)
      output = output.gsub(LEAF) do
        match = Regexp.last_match
        attributes = match[2] || ""
        value = nil
        if (found = ID.match(attributes))
          value = found[2] == "total_cit" ? stats[:citedby] : stats[:hindex]
        elsif CITATION_CLASS.match?(attributes)
          paper = DATA.match(attributes)
          number = paper && stats[:citations][unescape(paper[2])]
          value = number.nil? ? nil : "| Citations: #{number}"
        end
        value.nil? ? match[0] : "<#{match[1]}#{attributes}>#{value}</#{match[1]}>"
      end
      options = site.config["scholar_stats"] || {}
      if badge_url && options["refresh"] != true
        url = "#{site.config["baseurl"].to_s.chomp("/")}#{badge_url}"
        output = output.gsub(SHIELDS_SRC) { "src=#{Regexp.last_match(1)}#{url}#{Regexp.last_match(1)}" }
      end
      output
    end
  end

  class Generator < Jekyll::Generator
    safe true

    def generate(site)
      options = site.config["scholar_stats"]
      options = site.config["scholar_stats"] = {} unless options.is_a?(Hash)
      %w(citedby hindex i10index updated badge_url).each { |key| options[key] = nil }
      PykyllScholarStats.stats = nil
      PykyllScholarStats.badge_url = nil
      name = (options["file"] || DEFAULT_FILE).to_s
      path = File.join(site.source, name.sub(%r!\A/+!, ""))
      path = File.join(site.source, DATA_FILE) if !File.file?(path) && name == DEFAULT_FILE
      unless File.file?(path)
        Jekyll.logger.warn "Scholar stats:", "#{name} not found"
        return
      end
      data = JSON.parse(File.read(path, :encoding => "utf-8"))
      citations = {}
      (data["publications"] || {}).each do |id, paper|
        number = paper.is_a?(Hash) ? count(paper["num_citations"]) : nil
        citations[id.to_s] = number unless number.nil?
      end
      stats = {
        :citedby   => count(data["citedby"]),
        :hindex    => count(data["hindex"]),
        :i10index  => count(data["i10index"]),
        :updated   => data["updated"]&.to_s,
        :citations => citations,
      }
      PykyllScholarStats.stats = stats
      options.merge!(
        "citedby" => stats[:citedby], "hindex" => stats[:hindex],
        "i10index" => stats[:i10index], "updated" => stats[:updated]
      )
      label = "citations"
      message = nil
      shields = File.join(File.dirname(path), "gs_data_shieldsio.json")
      if File.file?(shields)
        badge = JSON.parse(File.read(shields, :encoding => "utf-8"))
        label = (badge["label"] || label).to_s
        message = badge["message"]&.to_s
      end
      message ||= stats[:citedby]&.to_s
      return if message.nil?

      badge_url = "/#{(options["badge"] || DEFAULT_BADGE).to_s.sub(%r!\A/+!, "")}"
      dir, _, file = badge_url.rpartition("/")
      page = Jekyll::PageWithoutAFile.new(site, site.source, dir, file)
      page.content = badge_svg(label, message)
      page.data["layout"] = nil
      page.data["sitemap"] = false
      site.pages << page
      PykyllScholarStats.badge_url = badge_url
      options["badge_url"] = badge_url
    end

    def badge_svg(label, message) = PykyllScholarStats.badge_svg(label, message)
    def count(value) = PykyllScholarStats.count(value)
  end
end

Jekyll::Hooks.register [:pages, :documents], :post_render do |item|
  next if PykyllScholarStats.stats.nil? || item.output.nil?
  next unless %w(.html .htm).include?(item.output_ext)

  item.output = PykyllScholarStats.fill(item.output, item.site)
end
