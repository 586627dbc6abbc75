tasks = {
  authorize = 10
  capture   = 8
}
