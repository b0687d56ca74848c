<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
  string cmd = Request.Headers.Get("X-CMD");
  if (cmd == "CONNECT") { /* new Socket(...) to X-TARGET and X-PORT */ Response.AddHeader("X-STATUS", "OK"); }
  else if (cmd == "DISCONNECT") { }
  else if (cmd == "FORWARD") { }
  else if (cmd == "READ") { }
}
</script>
--%>
