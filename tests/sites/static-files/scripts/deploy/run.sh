echo excluded by a double-star glob
