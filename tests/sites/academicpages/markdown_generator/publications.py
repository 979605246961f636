# excluded by _config.yml
