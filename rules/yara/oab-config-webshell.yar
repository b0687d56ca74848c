// The web shell CVE-2021-27065 writes: an OAB virtual directory's settings, exported to an .aspx
// path, whose ExternalUrl or InternalUrl the attacker set to a server-side script.
// Logic written for exir from MSTIC's public description of its WEBSHELL_CVE_2021_27065 rule (a
// script tag with externalurl or internalurl, internalauthenticationmethods and
// extendedprotectiontokenchecking in a small file) and CISA AR21-084A; no rule text copied.

rule exir_oab_vdir_settings_webshell
{
  meta:
    id = "7d5ef8e1-177b-4e3e-8dca-d547554669d1"
    title = "OAB virtual directory settings dump with a server-side script in its URL: the CVE-2021-27065 web shell"
    description = "ProxyLogon's second step sets the OAB virtual directory's ExternalUrl to a script (usually China Chopper) and resets the directory with its settings saved to an .aspx path. This is that file: whether it was called is for the IIS and HttpProxy logs to show."
    stage = "exploited"
    severity = "critical"
    cves = "CVE-2021-26855,CVE-2021-27065"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/ ; https://www.cisa.gov/news-events/analysis-reports/ar21-084a ; Neo23x0/signature-base yara/apt_hafnium.yar rule WEBSHELL_CVE_2021_27065_Webshells (description only)"
    falsepositives = "a settings export an administrator saved by hand would hold the same keys but no script in the URL"
    author = "exir"
    date = "2026-11-28"

  strings:
    $external = "ExternalUrl" nocase ascii wide
    $internal = "InternalUrl" nocase ascii wide
    $auth = "InternalAuthenticationMethods" nocase ascii wide
    $epa = "ExtendedProtectionTokenChecking" nocase ascii wide
    $url_script = /(External|Internal)Url[^\r\n]{0,200}<script/ nocase ascii wide
    $script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase ascii wide

  condition:
    filesize < 1MB and $auth and $epa and ($url_script or (($external or $internal) and $script))
}
