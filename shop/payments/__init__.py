"""Payment truth: the PortOne client, the one sync every claim goes through, the order's
allowed moves and their effects, refunds, the confirm process, reconciliation, and the
routes where PortOne and the browser report payments."""
