"""After the sale: shipment, delivery, disputes and the ratings given (`service`), the
buyer's quality report and the price adjustment it calls for (`quality_report`), and
a completed deal's carbon receipt (`carbon_receipt`), all on their storage (`logbook`,
in SQL `sql_logbook`). Their rows (shipments, disputes,
quality reports) stay in core.deals.tables: the deal's read model (core.deals.facts),
below this package, reads them, and core.deals.ratings counts disputes."""
