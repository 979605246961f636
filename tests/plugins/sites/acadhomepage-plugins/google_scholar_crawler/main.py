# excluded crawler
