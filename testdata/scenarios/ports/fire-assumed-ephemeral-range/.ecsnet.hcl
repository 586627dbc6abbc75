assume {
  dynamic_port_range = "30000-32767"
}
