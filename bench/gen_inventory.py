#!/usr/bin/env python3
"""gen_inventory.py N_ROWS [SEED]: writes an asset register of N_ROWS rows (CSV, with a header) to stdout.

Shaped like an agency's IT asset export: mostly laptops, monitors, phones and network gear of makers no
list names, with a few percent of video-surveillance and telecom items (Hikvision, Dahua, their own
brands and white labels, Huawei, ZTE). Model numbers are published product names, serials and MAC
addresses are per row (MACs under each maker's real IEEE OUI). Deterministic for a given seed."""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)

def mac(oui):
    return oui + ":%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))

def serial(k=10):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(k))

def hik_serial(model):
    return "%s20%02d%02d%02dAAWR%09d" % (model, rng.randrange(16, 25), rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(10**9))

# (weight, brand, models, description, oui or None, serial function)
KINDS = [
    (30, "Dell", ["Latitude 7420", "Latitude 5540", "OptiPlex 7090", "P2422H"], "Laptop", "f4:8e:38", lambda m: serial(7)),
    (20, "HP", ["EliteBook 840 G8", "ProDesk 400 G7", "E24 G5"], "Desktop computer", "3c:52:82", lambda m: serial(10)),
    (12, "Lenovo", ["ThinkPad T14", "ThinkCentre M70q"], "Laptop", "54:05:db", lambda m: serial(8)),
    (10, "Apple", ["MacBook Pro 14", "iPhone 14"], "Phone", None, lambda m: serial(12)),
    (8, "Cisco", ["C9200L-24P-4G", "CP-8845", "ISR4331/K9"], "Network switch", "00:1b:54", lambda m: "FOC" + serial(8)),
    (5, "Axis", ["P3245-V", "M3106-L Mk II"], "Network camera", "ac:cc:8e", lambda m: "ACCC8E" + serial(6)),
    (3, "Hikvision", ["DS-2CD2386G2-IU", "DS-2CD2143G2-I", "DS-7608NXI-I2/8P/S"], "IP camera", "44:19:b6", hik_serial),
    (2, "Dahua", ["IPC-HFW2431S-S-S2", "IPC-HDW1230S", "NVR4108HS-8P-4KS2"], "Network camera", "3c:ef:8c", lambda m: "4X0" + serial(12)),
    (1, "Lorex", ["LNB8005", "N841A82"], "Security camera", None, lambda m: serial(12)),
    (1, "Amcrest", ["IP8M-2496EB", "IP4M-1041B"], "Camera", "9c:8e:cd", lambda m: serial(12)),
    (1, "EZVIZ", ["CS-C6CN-A0-3H2WF", "CS-H6c-R101-1G2WF"], "Wi-Fi camera", "58:8f:cf", lambda m: serial(9)),
    (1, "Huawei", ["AR1220", "S5700", "HG8245T"], "Router", "00:e0:fc", lambda m: "2102" + serial(14)),
    (1, "ZTE", ["ZXHN H108N", "F668"], "Home gateway", "00:15:eb", lambda m: "ZTE" + serial(9)),
    (1, "", ["HWI-B140H", "IPC-B140H-M"], "Bullet camera", None, lambda m: serial(9)),
]
weights = [k[0] for k in KINDS]
suppliers = ["CDW Government LLC", "Acme Integrators Inc.", "GSA Advantage", "SHI International", "Best Buy"]

out = sys.stdout
out.write("Asset Tag,Manufacturer,Model Number,Description,Serial Number,MAC Address,Supplier,PO Number\n")
rows = []
for i in range(n):
    w, brand, models, desc, oui, ser = rng.choices(KINDS, weights)[0]
    m = rng.choice(models)
    rows.append("AT-%07d,%s,%s,\"%s, %s\",%s,%s,%s,PO-%05d\n" % (
        i, brand, m, desc, brand or "unbranded", ser(m), mac(oui) if oui else "",
        rng.choice(suppliers), rng.randrange(100000)))
    if len(rows) >= 10000:
        out.write("".join(rows))
        rows = []
out.write("".join(rows))
