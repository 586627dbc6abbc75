# orders shrinks to 3 tasks so that a rolling deployment (6) fits the 6 slots.
orders_desired_count = 3
