# Matches ECS_RESERVED_PORTS in the launch template's user data.
assume {
  reserved_ports = [22, 2375, 2376, 51678, 51679, 51680, 8080]
}
