# The portal moves behind the ALB on dynamic ports.
legacy_host_port = 0
