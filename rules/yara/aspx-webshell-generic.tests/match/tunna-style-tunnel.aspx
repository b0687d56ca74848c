<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
  if (Request.QueryString["proxy"] != null) {
    var c = new System.Net.Sockets.TcpClient(Request.QueryString["ip"], int.Parse(Request.QueryString["port"]));
  }
}
</script>
--%>
