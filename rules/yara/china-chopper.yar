// China Chopper family: the one-line JScript web shell that hands a request parameter to eval().
// Logic written for exir from public descriptions (Microsoft's HAFNIUM blog, 2021-03-02; CISA
// AR21-084A / MAR-10329496-1.v1, 2021-03-19; HvS-Consulting ProxyShell IOCs, 2021-09), no rule text copied.

rule exir_china_chopper_eval_request
{
  meta:
    id = "d882b073-5285-4828-b081-4cacda50f310"
    title = "China Chopper web shell: a request parameter run through eval(..., \"unsafe\")"
    description = "The file runs whatever the caller sends in one request parameter as JScript with full trust: China Chopper's server side. Seen as a one-line .aspx, inside an OAB settings dump (ProxyLogon), and inside a PST export named .aspx (ProxyShell)."
    stage = "post-exploitation"
    severity = "critical"
    cves = ""
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/ ; https://www.cisa.gov/news-events/analysis-reports/ar21-084a"
    falsepositives = "none known: stock Exchange and IIS pages never eval request input"
    author = "exir"
    date = "2026-11-28"

  strings:
    // eval(Request.Item["x"], ...), eval(Request["x"], ...), eval(Request.Form("x"), ...)
    $eval_request = /eval\s*\(\s*Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase ascii wide
    // eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request...
    $eval_decoded = /eval\s*\(\s*(System\.)?Text\.Encoding\.\w+\.GetString\s*\(\s*(System\.)?Convert\.FromBase64String\s*\(\s*Request/ nocase ascii wide
    $unsafe = /,\s*["']unsafe["']\s*\)/ nocase ascii wide

  condition:
    ($eval_request or $eval_decoded) and $unsafe
}
