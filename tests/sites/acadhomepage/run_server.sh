bundle exec jekyll liveserve
