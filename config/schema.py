"""Every table module, imported in one place so metadata (migrations, tests) sees them all.

core/ may not import payments/, so the full set of models is assembled here, in config/.
"""

from __future__ import annotations

from sqlalchemy import MetaData

import core.accounts.tables
import core.catalog.tables
import core.certificates.tables
import core.community.tables
import core.companies.tables
import core.consulting.calendars.tables
import core.consulting.inspections.tables
import core.consulting.packages.tables
import core.consulting.sessions.tables
import core.consulting.tables
import core.deals.carbon.tables
import core.deals.contracts.tables
import core.deals.freight.tables
import core.deals.ratings.tables
import core.deals.requests.tables
import core.deals.tables
import core.deals.terms.tables
import core.deals.threads.tables
import core.indices.tables
import core.learning.tables
import core.loyalty.tables
import core.notifications.tables
import core.operators.tables
import core.process.tables
import core.recommend.tables
import core.storage.change_feed
import core.storage.tables
import core.support.tables
import core.webhooks.tables
import payments.tables

MODULES = (core.storage.tables, core.storage.change_feed, core.accounts.tables, core.companies.tables,
           core.notifications.tables, core.process.tables, core.catalog.tables,
           core.certificates.tables, core.deals.tables, core.deals.carbon.tables,
           core.deals.contracts.tables, core.deals.freight.tables, core.deals.ratings.tables,
           core.deals.requests.tables,
           core.deals.terms.tables, core.deals.threads.tables,
           core.consulting.tables, core.consulting.calendars.tables, core.consulting.packages.tables,
           core.consulting.inspections.tables,
           core.consulting.sessions.tables, core.support.tables,
           core.operators.tables, core.recommend.tables, core.community.tables,
           core.learning.tables, core.loyalty.tables, core.indices.tables, payments.tables)
metadata: MetaData = core.storage.tables.Base.metadata
