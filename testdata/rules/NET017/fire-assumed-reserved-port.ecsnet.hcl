assume {
  reserved_ports = [22, 2375, 2376, 8080, 51678, 51679]
}
