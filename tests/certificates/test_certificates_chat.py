"""`/certificates` in a chat on the database: a certificate added with its document, a number
not in the scheme's format asked again, the renewal replacing it, removing it; a colleague who
is no admin of the company sees its certificates but changes none."""

from __future__ import annotations

from conversations.messages import FileUpload
from core.companies import service as companies
from tests.catalog.helpers import make_account
from tests.support.chat import ChatUser

PDF = b"%PDF-1.7 a certificate"


async def test_a_seller_adds_replaces_and_removes_a_certificate_in_chat(app, tmp_path):
    await make_account(app, "sam")
    sam = ChatUser(app, "sam")
    document = tmp_path / "sbp.pdf"
    document.write_bytes(PDF)
    await sam.say("/certificates")
    assert "None yet" in sam.texts()
    await sam.tap("Add a certificate")
    await sam.tap("SBP")
    await sam.say("SBP 1 23")
    assert "It looks like “SBP-01-23”" in sam.texts()  # asked again
    await sam.say("sbp 01 23")
    await sam.say("Sam Pellets SIA")
    await sam.say("2027-03-31")
    assert "Send the certificate itself" in sam.texts()
    await sam.say("here it is")
    assert "as a file or a photo" in sam.texts()
    await sam.send(FileUpload(str(document), "sbp.pdf", "application/pdf", len(PDF)))
    assert "Saved: SBP · SBP-01-23 · Sam Pellets SIA · valid until 31 Mar 2027" in sam.texts()

    await sam.tap("Replace SBP")
    await sam.say("SBP-01-24")
    await sam.say("Sam Pellets SIA")
    await sam.say("2028-03-31")
    await sam.send(FileUpload(str(document), "sbp-2028.pdf", "application/pdf", len(PDF)))
    assert "SBP-01-24 · Sam Pellets SIA · valid until 31 Mar 2028" in sam.texts()
    await sam.tap("Remove SBP")
    assert "Removed SBP SBP-01-24" in sam.texts() and "None yet" in sam.texts()


async def test_a_colleague_who_is_no_admin_sees_the_companys_certificates_and_changes_none(
        app, tmp_path):
    sam, eve = await make_account(app, "sam"), await make_account(app, "eve")
    async with app.uow() as uow:
        await companies.found(uow, sam.id, "Sam Pellets SIA")
        code = (await companies.invite(uow, sam.id, ["buyer"], None)).code
        await companies.join(uow, eve.id, code)
        await uow.commit()
    document = tmp_path / "enplus.pdf"
    document.write_bytes(PDF)
    admin = ChatUser(app, "sam")
    await admin.say("/company")
    await admin.tap("Certificates")
    await admin.tap("Add a certificate")
    for answer in ("ENplus", "LV 012 0042", "Sam Pellets SIA", "2027-06-30"):
        await (admin.tap(answer) if answer == "ENplus" else admin.say(answer))
    await admin.send(FileUpload(str(document), "enplus.pdf", "application/pdf", len(PDF)))
    assert "Saved: ENplus · LV 012 0042" in admin.texts()
    colleague = ChatUser(app, "eve")
    await colleague.say("/certificates")
    assert "ENplus · LV 012 0042 · Sam Pellets SIA · valid until 30 Jun 2027" in colleague.texts()
    await colleague.tap("Remove ENplus")
    assert "Only an admin of Sam Pellets SIA changes its certificates." in colleague.texts()
