var title = "Output extensions";
