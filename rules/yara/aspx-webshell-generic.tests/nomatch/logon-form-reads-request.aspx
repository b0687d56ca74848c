<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" AutoEventWireup="true" %>
<script runat="server">
void Page_Load(object s, EventArgs e) { string user = Request.Form["username"]; lblUser.Text = Server.HtmlEncode(user); }
</script>
--%>
