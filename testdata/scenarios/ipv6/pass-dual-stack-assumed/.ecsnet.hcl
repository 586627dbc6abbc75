# The landing zone enables dualStackIPv6 in every account, outside this stack.
assume {
  dual_stack_ipv6 = true
}
