renderers = 4
