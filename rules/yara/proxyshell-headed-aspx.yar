// ProxyShell's ways of writing a web shell through Exchange's own export features: a mailbox
// exported as a PST (starts "!BDN") and a certificate request exported in DER (starts 30 82),
// each saved under a web folder with an ASP.NET extension. The script inside survives because the
// attacker pre-encodes it.
// Logic written for exir from public descriptions (Orange Tsai's ProxyShell talk, 2021-08;
// Huntress and HvS-Consulting incident write-ups, 2021-08/09; signature-base expl_proxyshell.yar
// description in exchange-evidence.md 2.7); no rule text copied.
// `extension` is an external variable: the lower-case extension with its dot (".aspx").

rule exir_proxyshell_pst_headed_aspx
{
  meta:
    id = "6473398f-f34e-4033-abd0-fd810ce9446b"
    title = "Mailbox export (PST) saved as an ASP.NET page: ProxyShell web shell"
    description = "The file is a PST mailbox export (it starts with !BDN) written under an ASP.NET name or carrying a server-side script: New-MailboxExportRequest pointed at a web folder, as ProxyShell exploitation does. It also holds the exported mailbox's mail."
    stage = "exploited"
    severity = "critical"
    cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
    mailbox = "exported"
    reference = "https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit ; https://github.com/hvs-consulting/ioc_signatures/tree/main/Proxyshell"
    falsepositives = "none known: Exchange never writes PST files with web page names"
    author = "exir"
    date = "2026-11-28"

  strings:
    $script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
    $directive = /<%@\s*Page/ nocase

  condition:
    uint32(0) == 0x4E444221 and (extension matches /^\.(aspx|ashx|asmx|asp|asax|config)$/ or $script or $directive)
}

rule exir_proxyshell_der_headed_aspx
{
  meta:
    id = "efbb2266-39d6-4af8-ba42-67a830e93aad"
    title = "Certificate request (DER) saved as an ASP.NET page: ProxyShell web shell"
    description = "The file is DER-encoded (it starts with 30 82) but has an ASP.NET name, or a DER file carrying a server-side script: New-ExchangeCertificate -GenerateRequest -BinaryEncoded -RequestFile pointed at a web folder, with the shell in the subject."
    stage = "exploited"
    severity = "critical"
    cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
    reference = "https://www.zerodayinitiative.com/blog/2021/8/17/from-pwn2own-2021-a-new-attack-surface-on-microsoft-exchange-proxyshell ; SigmaHQ rules/windows/builtin/msexchange/win_exchange_proxyshell_certificate_generation.yml (description)"
    falsepositives = "a certificate an administrator saved with an .aspx name by mistake"
    author = "exir"
    date = "2026-11-28"

  strings:
    $script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase

  condition:
    uint16(0) == 0x8230 and (extension matches /^\.(aspx|ashx|asmx|asp)$/ or $script)
}
