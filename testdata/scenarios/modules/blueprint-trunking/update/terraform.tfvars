# Platform review approved ENI trunking: 3 × c5.large go from 6 to 30 awsvpc slots.
awsvpc_trunking = true
