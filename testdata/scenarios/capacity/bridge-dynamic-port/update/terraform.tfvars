# A firewall rule upstream now expects the web tier on a fixed port of each instance.
host_port = 8080
