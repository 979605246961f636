excluded by default
