# m6g.large: 3 ENIs, so one awsvpc slot left after the node exporter.
node_instance_type = "m6g.large"
