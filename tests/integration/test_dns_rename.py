"""Renaming the cell (cell_name or domain) moves the DNS zone: the cell's
own names and the user's records answer under the new zone, not the old."""

from conftest import sh


def dig(client, server, name, qtype="A"):
    return client.run("dig", "+short", "+time=1", "+tries=2", f"@{server}", name, qtype, check=False).stdout.split()


def test_rename_moves_the_zone_and_its_records(picd):
    client = picd.client()
    dns = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    status, _, rec = picd.local("POST", "/api/dns/records", {"name": "www", "type": "A", "value": "192.0.2.44"})
    assert status == 201, rec
    assert dig(client, dns, "www.mycell.cell") == ["192.0.2.44"]

    status, _, doc = picd.local("PUT", "/api/config", {"cell_name": "home", "domain": "example.net"})
    assert status == 200, doc
    assert dig(client, dns, "www.home.example.net") == ["192.0.2.44"]
    assert dig(client, dns, "calendar.home.example.net") == [doc["virtual_ips"]["calendar"]]
    # The old zone is not the cell's any more (it would be asked of the internet).
    assert "192.0.2.44" not in dig(client, dns, "www.mycell.cell")
    status, _, got = picd.local("GET", f"/api/dns/records/{rec['id']}")
    assert got["name"] == "www.home.example.net"
    # DHCP's domain and the unbound zone come from the same place.
    conf = open(f"{picd.state_dir}/services/dns/unbound.conf").read()
    assert 'local-zone: "home.example.net." static' in conf and "mycell.cell" not in conf
