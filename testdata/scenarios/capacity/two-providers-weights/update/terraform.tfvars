# Rebalanced after tasks sat in PROVISIONING on the spot pool: 6 and 6.
weights = { ondemand = 1, spot = 1 }
