# One more instance so the green task set finds port 80 free on two instances.
asg_max_size = 4
