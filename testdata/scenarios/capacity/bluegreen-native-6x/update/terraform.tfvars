# Room for both task sets during the bake: 4 × m5.large = 8 awsvpc slots.
max_instances = 4
