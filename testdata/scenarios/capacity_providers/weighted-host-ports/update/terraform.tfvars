# Base 1 on edge, then 1 in 5: 2 tasks on edge's 2 instances, 4 on general's 4.
strategy = {
  edge    = { base = 1, weight = 1 }
  general = { base = 0, weight = 4 }
}
