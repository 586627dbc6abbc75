# The provider whose instances are in the service's zone.
provider_name = "ledger-west-b"
