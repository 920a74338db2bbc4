<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Actions</name>
    <message>
      <source>&amp;Field service for phones…</source>
      <translation>外勤服务（手机）(&amp;F)…</translation>
    </message>
  </context>
  <context>
    <name>FieldServiceDialog</name>
    <message>
      <source>(not running)</source>
      <translation>（未启动）</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Certificate fingerprint</source>
      <translation>证书指纹（SHA-256）</translation>
    </message>
    <message>
      <source>Field service for phones</source>
      <translation>外勤服务（手机）</translation>
    </message>
    <message>
      <source>Phones on the office network may connect (LAN)</source>
      <translation>允许办公室网络中的手机连接（局域网）</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <source>Scan the QR code with the phone, then compare the fingerprint before trusting the certificate.</source>
      <translation>用手机扫描二维码打开页面；信任证书前，请先核对证书指纹。</translation>
    </message>
    <message>
      <source>Start the field service</source>
      <translation>启动外勤服务</translation>
    </message>
    <message>
      <source>Stop the field service</source>
      <translation>停止外勤服务</translation>
    </message>
  </context>
  <context>
    <name>FieldServiceFeature</name>
    <message>
      <source>Field service running at {url}</source>
      <translation>外勤服务已启动：{url}</translation>
    </message>
  </context>
</TS>
