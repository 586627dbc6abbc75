# Replace one gateway at a time: stop one (66 % of 3 rounds up to 2 kept), start its successor.
deployment = {
  maximum_percent         = 100
  minimum_healthy_percent = 66
}
