/* How to make a device trust the cell's certificate authority. */
const HINTS: { platform: string; steps: string }[] = [
  { platform: "Android", steps: "Settings → Security → Encryption & credentials → Install a certificate → CA certificate, then pick the downloaded cell-ca.crt." },
  { platform: "iOS / iPadOS", steps: "Open the file, then Settings → General → VPN & Device Management → install the profile; then Settings → General → About → Certificate Trust Settings → turn on full trust." },
  { platform: "macOS", steps: "Double-click the file to add it to Keychain Access (System), open it there and set “When using this certificate” to Always Trust." },
  { platform: "Windows", steps: "Double-click the file → Install Certificate → Local Machine → “Place all certificates in the following store” → Trusted Root Certification Authorities." },
  { platform: "Linux", steps: "sudo cp cell-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates" },
  { platform: "Firefox", steps: "Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import, and tick “Trust this CA to identify websites”." },
];

export const CA_URL = "/api/vault/ca.crt";

/* `href`: where to download it, when the cell said (GET /api/access). */
export function CaInstallHints({ href = CA_URL }: { href?: string }) {
  return (
    <div className="flex flex-col gap-2 text-sm">
      <a className="btn-secondary self-start" href={href} download="cell-ca.crt">
        Download the cell's CA certificate
      </a>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[8rem_1fr]">
        {HINTS.map((h) => (
          <div key={h.platform} className="contents">
            <dt className="font-medium">{h.platform}</dt>
            <dd className="text-slate-600 dark:text-slate-300">{h.steps}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
