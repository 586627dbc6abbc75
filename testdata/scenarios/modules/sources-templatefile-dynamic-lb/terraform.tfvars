db_password = "s3cr3t-canary-7f2a"
