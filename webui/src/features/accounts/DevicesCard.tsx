/* On a cell account's own page: what a device needs before it uses the
 * cell — to trust the cell's certificate authority (its fingerprint to
 * compare, where to download it, how per platform) and where the cell
 * answers over HTTPS. From GET /api/access, which a user may read. */
import { CA_URL, CaInstallHints } from "../../components/CaInstallHints";
import { KIND_LABEL, caDownloadPath, fingerprint, httpsAddresses, useAccess } from "../access/api";

export function DevicesCard() {
  const access = useAccess();
  const a = access.data;
  const fp = a?.ca ? fingerprint(a.ca.sha256) : null;
  const addresses = a ? httpsAddresses(a.https) : [];
  return (
    <section className="card flex flex-col gap-3" aria-label="Set up your devices" data-testid="my-devices">
      <h2 className="font-semibold">Set up your devices</h2>
      <p className="text-sm">
        Your devices reach the cell over HTTPS with certificates from the cell's own certificate authority. Install it once on
        each device, and check that the fingerprint the device shows for it is this one:
      </p>
      {fp ? (
        <code className="block font-mono text-xs break-all" data-testid="my-ca-fingerprint">{fp}</code>
      ) : (
        a && <p className="text-sm">The cell's certificate authority is not available right now; ask the cell's admin.</p>
      )}
      {addresses.length > 0 && (
        <div className="flex flex-col gap-1 text-sm">
          <p>The cell answers over HTTPS at:</p>
          <ul className="flex flex-col gap-1" aria-label="HTTPS addresses" data-testid="my-https">
            {addresses.map((o) => (
              <li key={o.url} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
                <a className="min-w-0 font-medium break-all underline" href={o.url}>{o.url}</a>
                <span className="text-xs text-slate-500">{KIND_LABEL[o.kind]}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <CaInstallHints href={caDownloadPath(a?.ca?.url, CA_URL)} />
    </section>
  );
}
