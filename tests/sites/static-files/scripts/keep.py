print("kept: not matched by scripts/**/*.sh")
