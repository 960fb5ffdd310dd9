"""Purchase approval: a company buyer's purchase above her spending limit, held until an
approver of her company decides (`service`), the approval card's words (`card`) and
what approvers and the requester hear (`notices`), its storage behind a protocol (`book`,
in SQL `sql_book`). Above core.deals.offers, through
which an approved purchase is made. The held purchases' table stays in
core.deals.tables: core.deals.company_deals, which the deal itself asks who in a
company may open it, reads it below this package."""
