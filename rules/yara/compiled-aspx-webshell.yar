// Web shells as ASP.NET compiled them: when a page is first requested, ASP.NET compiles it into an
// App_Web_<8 characters>.dll under Temporary ASP.NET Files, and that DLL stays after the .aspx is
// deleted. The source text is gone from it; what survives are the names the compiled code calls
// (metadata strings, ASCII) and its string literals (user strings, UTF-16).
// Logic written for exir from public descriptions: BSI's "Microsoft Exchange Schwachstellen -
// Detektion und Reaktion" (2021-03, the compiled-web-shell check of temporary PE files naming
// JScriptEvaluate), as signature-base carries it (yara/apt_hafnium.yar, WEBSHELL_Compiled_Webshell_Mar2021_1),
// and Microsoft's HAFNIUM write-up for the China Chopper line it compiles from. No rule text copied.

rule exir_compiled_page_jscript_eval_unsafe
{
  meta:
    id = "6b0f3e8e-2f47-4a53-9d6c-2f1b8f0c7a41"
    title = "Compiled ASP.NET page (App_Web_*.dll) that runs request text through JScript's eval in unsafe mode"
    description = "A PE file that ASP.NET compiled from a page (its assembly is named App_Web_ and eight characters) and that calls Microsoft.JScript's JScriptEvaluate with the \"unsafe\" option: what the China Chopper line eval(Request.Item[...], \"unsafe\") becomes once compiled. Found in Temporary ASP.NET Files, it shows the web shell was requested (compilation happens on the first request) even when the .aspx itself was removed."
    stage = "post-exploitation"
    severity = "critical"
    cves = ""
    reference = "https://www.bsi.bund.de/SharedDocs/Downloads/DE/BSI/Cyber-Sicherheit/Vorfaelle/Exchange-Schwachstellen-2021/MSExchange_Schwachstelle_Detektion_Reaktion.pdf ; https://github.com/Neo23x0/signature-base/blob/master/yara/apt_hafnium.yar ; https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    falsepositives = "a site of the firm's own that evaluates JScript in unsafe mode (none ships with Exchange or IIS)"
    author = "exir"
    date = "2026-12-07"

  strings:
    $app_web = /App_Web_[a-z0-9]{8}/ ascii wide
    $jscript_eval = "JScriptEvaluate" ascii fullword
    // The literal "unsafe" is a user string: UTF-16 in the #US heap.
    $unsafe = "unsafe" wide fullword

  condition:
    uint16(0) == 0x5A4D and $app_web and $jscript_eval and $unsafe
}
