// Common ASP.NET web shells by what they do, not by any one sample: run a command from a request,
// load an assembly sent in a request, tunnel sockets over HTTP, save an uploaded file.
// Logic written for exir from public descriptions (CERT-LV's keyword list for Exchange web shells,
// 2021-03; Microsoft HAFNIUM blog's SIMPLESEESHARP/SPORTSBALL notes, 2021-03; reGeorg and Tunna
// documentation); no rule text copied.

rule exir_aspx_request_runs_process
{
  meta:
    id = "ceee86d0-8b29-486d-8a74-d8092854c7a6"
    title = "ASP.NET page that starts a process from request input: command web shell"
    description = "A server-side page reads request input and starts processes (Process.Start, ProcessStartInfo, cmd.exe): a command shell over HTTP."
    stage = "post-exploitation"
    severity = "critical"
    cves = ""
    reference = "https://github.com/cert-lv/exchange_webshell_detection (keyword list) ; https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    falsepositives = "an administration page of a third-party product that runs a fixed tool with request parameters; none ship with Exchange"
    author = "exir"
    date = "2026-11-28"

  strings:
    $page_directive = /<%@\s*(Page|WebHandler|WebService|Control)\b/ nocase
    $page_script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
    $request = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies)\s*)?\[/ nocase
    $request_get = /Request\s*\.\s*(Form|QueryString|Params|Headers)\s*\.\s*Get\s*\(/ nocase
    $start = /Process\s*\.\s*Start\s*\(/ nocase
    $psi = "ProcessStartInfo" nocase
    $cmd = "cmd.exe" nocase

  condition:
    filesize < 2MB and 1 of ($page_*) and 1 of ($request*) and 1 of ($start, $psi, $cmd)
}

rule exir_aspx_loads_assembly_from_request
{
  meta:
    id = "eaa84968-ae30-4eff-b484-7050175c0606"
    title = "ASP.NET page that loads a .NET assembly sent in the request: in-memory web shell"
    description = "The page decodes request data and loads it as an assembly (Assembly.Load), the way Behinder/Godzilla-style shells and many Exchange implants run code without writing it to disk."
    stage = "post-exploitation"
    severity = "critical"
    cves = ""
    reference = "https://github.com/cert-lv/exchange_webshell_detection (assembly.load, convert.frombase64string) ; exchange-evidence.md 2.7 (signature-base .FromBase64String(Request[ description)"
    falsepositives = "none known in Exchange or IIS web folders"
    author = "exir"
    date = "2026-11-28"

  strings:
    $page_directive = /<%@\s*(Page|WebHandler|WebService|Control)\b/ nocase
    $page_script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
    $load = /Assembly\s*\.\s*Load\s*\(/ nocase
    $b64_request = /FromBase64String\s*\(\s*Request/ nocase
    $binary_read = /Request\s*\.\s*BinaryRead\s*\(/ nocase
    $input_stream = /Request\s*\.\s*InputStream/ nocase

  condition:
    filesize < 2MB and 1 of ($page_*) and $load and 1 of ($b64_request, $binary_read, $input_stream)
}

rule exir_aspx_socket_tunnel
{
  meta:
    id = "cbf1d6c8-37e4-41be-a724-50722a72329a"
    title = "ASP.NET page that tunnels TCP over HTTP (reGeorg / Tunna style)"
    description = "The page opens sockets on the server's side on the caller's command (CONNECT/READ/FORWARD/DISCONNECT in an X-CMD style header, or ip and port parameters): a tunnel into the internal network."
    stage = "post-exploitation"
    severity = "critical"
    cves = ""
    reference = "https://github.com/sensepost/reGeorg (README) ; https://github.com/SECFORCE/Tunna (README) ; evtx-attack-samples Tunna_rdp_tunnel_IIS.log"
    falsepositives = "none known in Exchange or IIS web folders"
    author = "exir"
    date = "2026-11-28"

  strings:
    $page_directive = /<%@\s*(Page|WebHandler|WebService|Control)\b/ nocase
    $page_script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
    $socket = /System\.Net\.Sockets|new\s+Socket\s*\(|TcpClient\s*\(/ nocase
    $hdr = /["']X-(CMD|STATUS|TARGET|PORT|ERROR|REDIRECTURL)["']/ nocase
    $verb_connect = "\"CONNECT\"" nocase
    $verb_forward = "\"FORWARD\"" nocase
    $verb_disconnect = "\"DISCONNECT\"" nocase
    $param_port = /Request\s*(\.\s*QueryString\s*)?\[\s*["']port["']\s*\]/ nocase
    $param_ip = /Request\s*(\.\s*QueryString\s*)?\[\s*["']ip["']\s*\]/ nocase

  condition:
    filesize < 2MB and 1 of ($page_*) and $socket and (($hdr and 2 of ($verb_*)) or ($param_port and $param_ip))
}

rule exir_aspx_small_uploader
{
  meta:
    id = "e5937954-bfa6-410c-838f-46aad03d8f27"
    title = "Small ASP.NET page that saves an uploaded file where the request says (SIMPLESEESHARP style)"
    description = "A few lines that take a posted file and save it to a path from the request: the dropper HAFNIUM used to bring in more tools."
    stage = "post-exploitation"
    severity = "high"
    cves = ""
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/ (SIMPLESEESHARP) ; https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/"
    falsepositives = "a tiny upload page of another web application; none ship with Exchange"
    author = "exir"
    date = "2026-11-28"

  strings:
    $page_directive = /<%@\s*(Page|WebHandler)\b/ nocase
    $page_script = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
    $files = /Request\s*\.\s*Files/ nocase
    $save = /\.\s*SaveAs\s*\(/ nocase
    $target = /(Server\s*\.\s*MapPath|Request\s*\.\s*(Form|QueryString|Params))/ nocase

  condition:
    filesize < 8KB and 1 of ($page_*) and $files and $save and $target
}
