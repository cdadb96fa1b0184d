#!/usr/bin/env python3
"""Write data/skills.tsv, Connectify's skills taxonomy, from the lists below.

Columns: name, category, aliases (separated by |), rule.
Rules: any  - whole words, any case, anywhere in the resume;
       case - whole words, exact case, anywhere;
       ctx  - exact case, and only where it is a skill: an item of a Skills
              section or of a list (", " "|" "/" bullets), or after
              "in/with/using/of" ("R", "C", "Go", "Excel", "Spring").
An entry is "Name" or "Name=alias=alias"; a leading "!" gives it rule ctx,
a leading "^" rule case.  Admins may edit skills.tsv directly: this script
is only how the shipped file was first written.
"""
import re
import sys

CATS = {}

CATS["engineering"] = """
!C=C language=ANSI C
C++=cpp=CPlusPlus
C#=csharp=C Sharp
!Go=Golang
Rust
Java=Java SE=Java EE=J2EE
Kotlin
Scala
Python=Python3=Python 3
Ruby
PHP
Perl
Swift
Objective-C=ObjC
JavaScript=JS=ECMAScript=ES6
TypeScript=^TS
Dart
Elixir
Erlang
Haskell
Clojure
F#=FSharp
OCaml
Lua
Groovy
Fortran
COBOL
Assembly=x86 Assembly=ARM Assembly
!Bash=Shell scripting=Shell
Zsh
PowerShell
Visual Basic=VB.NET=VBA
Delphi
Pascal
Ada
Julia
MATLAB
Solidity
Zig
Nim
Crystal
Prolog
Lisp=Common Lisp
Scheme
Racket
Elm
PureScript
ReasonML
Verilog
VHDL
SystemVerilog
Apex
ABAP
PL/SQL=PLSQL
T-SQL=TSQL=Transact-SQL
Node.js=NodeJS=^Node
React=ReactJS=React.js
React Native
Angular=AngularJS=Angular.js
Vue.js=Vue=VueJS
Svelte=SvelteKit
Next.js=NextJS
Nuxt.js=Nuxt
Gatsby
Remix
Ember.js=Ember
Backbone.js
jQuery
Redux
MobX
RxJS
Webpack
Vite
Babel
Rollup
esbuild
Parcel
Tailwind CSS=Tailwind=TailwindCSS
Bootstrap
Material UI=MUI
Sass=SCSS
Less
HTML=HTML5
CSS=CSS3
Web Components
WebAssembly=Wasm
WebGL
Three.js
D3.js=D3
Chart.js
Storybook
Jest
Mocha
Chai
Jasmine
Karma
Cypress
Playwright
Puppeteer
Selenium=Selenium WebDriver
WebdriverIO
Appium
TestNG
JUnit=JUnit5=JUnit 5
Mockito
pytest=py.test
unittest
RSpec
Cucumber
Postman
SoapUI
JMeter
Gatling
Locust
k6
!Testing=Software Testing
Unit Testing
Integration Testing
Test Automation=Automation Testing
Manual Testing
Regression Testing
Performance Testing=Load Testing
Penetration Testing=Pen Testing
TDD=Test-Driven Development
BDD=Behavior-Driven Development
QA=Quality Assurance
Express.js=Express=ExpressJS
NestJS
Koa
Fastify
Hapi
Meteor
Django=Django REST Framework=DRF
Flask
FastAPI
Pyramid
Tornado
aiohttp
Celery
SQLAlchemy
Pydantic
!Spring=Spring Framework
Spring Boot=SpringBoot
Spring Cloud
Spring Security
Hibernate
JPA
Maven
Gradle
Ant
Quarkus
Micronaut
Vert.x
Jakarta EE
Struts
JSF
Play Framework
Akka
Ruby on Rails=Rails=RoR
Sinatra
Laravel
Symfony
CodeIgniter
Zend
CakePHP
WordPress
Drupal
Joomla
Magento
Shopify
.NET=dotnet=.NET Framework
.NET Core=dotnet core
ASP.NET=ASP.NET MVC
ASP.NET Core
Entity Framework=EF Core
Blazor
WPF
WinForms
Xamarin
MAUI
Unity=Unity3D
Unreal Engine=Unreal
Godot
Phoenix
Gin
Echo
Fiber
Actix
Rocket
Tokio
Qt
GTK
Electron
Tauri
Android=Android SDK
iOS=iOS Development
SwiftUI
UIKit
Jetpack Compose
Flutter
Ionic
Cordova
Kotlin Multiplatform
Xcode
Android Studio
REST APIs=REST=RESTful=REST API=RESTful APIs
GraphQL
gRPC
SOAP
WebSockets=WebSocket
OpenAPI=Swagger
Protocol Buffers=Protobuf
Thrift
Avro
JSON
XML
YAML
OAuth=OAuth2=OAuth 2.0
OpenID Connect=OIDC
JWT
SAML
Microservices=micro-services=Microservice Architecture
Event-Driven Architecture
Domain-Driven Design=DDD
Serverless
SOA=Service-Oriented Architecture
Design Patterns
Object-Oriented Programming=OOP
Functional Programming
Data Structures
Algorithms
System Design
Distributed Systems
Concurrency=Multithreading
Memory Management
Compilers
Operating Systems
Embedded Systems=Embedded=Embedded C
Firmware
RTOS=FreeRTOS
Microcontrollers
Arduino
Raspberry Pi
ARM
FPGA
PCB Design
Linux Kernel
Device Drivers
Real-Time Systems
IoT=Internet of Things
Robotics
ROS=Robot Operating System
Computer Graphics
OpenGL
Vulkan
DirectX
CUDA
OpenCL
OpenMP
MPI
High-Performance Computing=HPC
Git=GitHub=GitLab=Bitbucket
SVN=Subversion
Mercurial
Perforce
Linux=Unix=GNU/Linux
Ubuntu
Debian
Red Hat=RHEL
CentOS
Windows Server
macOS
FreeBSD
Solaris
AIX
Docker=Docker Compose
Podman
Kubernetes=k8s
Helm
OpenShift
Rancher
Istio
Linkerd
Envoy
Consul
Vault=HashiCorp Vault
Nomad
Terraform
Pulumi
CloudFormation=AWS CloudFormation
Ansible
Chef
Puppet
SaltStack
Vagrant
Packer
Jenkins
GitHub Actions
GitLab CI=GitLab CI/CD
CircleCI
Travis CI
TeamCity
Bamboo
Azure DevOps
ArgoCD=Argo CD
Flux
Spinnaker
Tekton
CI/CD=CI CD=Continuous Integration=Continuous Delivery
DevOps
SRE=Site Reliability Engineering
GitOps
Infrastructure as Code=IaC
Prometheus
Grafana
Datadog
New Relic
Splunk
ELK Stack=ELK
Kibana
Logstash
Fluentd
Jaeger
OpenTelemetry
Zipkin
Nagios
Zabbix
PagerDuty
Sentry
Dynatrace
AppDynamics
nginx
Apache HTTP Server=Apache httpd
HAProxy
Traefik
Tomcat
Jetty
WildFly=JBoss
IIS
Varnish
CDN
Cloudflare
Akamai
Load Balancing
Caching
AWS=Amazon Web Services
GCP=Google Cloud=Google Cloud Platform
Azure=Microsoft Azure
Oracle Cloud=OCI
IBM Cloud
DigitalOcean
Heroku
Netlify
Vercel
Firebase
Supabase
OpenStack
VMware=vSphere=ESXi
Hyper-V
KVM
Proxmox
Cloud Computing
Cloud Architecture
Multi-Cloud
Hybrid Cloud
Networking=Computer Networking
TCP/IP
DNS
DHCP
HTTP
TLS=SSL
VPN
BGP
OSPF
MPLS
VLAN
SD-WAN
Cisco IOS
Juniper
Wireshark
Firewalls
Network Security
Cybersecurity=Cyber Security=Information Security=InfoSec
Application Security=AppSec
Cloud Security
Identity and Access Management=IAM
SIEM
SOC=Security Operations
Incident Response
Threat Modeling
Vulnerability Assessment
OWASP
Burp Suite
Metasploit
Nmap
Kali Linux
Cryptography
PKI
Zero Trust
ISO 27001
NIST
SOC 2
GDPR
HIPAA Compliance
PCI DSS
Forensics=Digital Forensics
Malware Analysis
Reverse Engineering
Blockchain
Ethereum
Smart Contracts
Web3
Hyperledger
Computer Vision
OpenCV
Jira
Confluence
Trello
Asana
Notion
Slack
Linear
VS Code=Visual Studio Code
Visual Studio
IntelliJ IDEA=IntelliJ
Eclipse
Vim
Emacs
Code Review
Technical Writing
Documentation
Debugging
Performance Optimization=Performance Tuning
Refactoring
Pair Programming
Open Source
Agile=Agile Methodologies
Scrum
Kanban
SAFe
Waterfall
Extreme Programming=^XP
Lean
Software Architecture
Software Development Life Cycle=SDLC
Full Stack Development=Full Stack=Full-Stack
Frontend Development=Front-End Development=Frontend
Backend Development=Back-End Development=Backend
Mobile Development
Web Development
Game Development
API Design
Accessibility=WCAG=a11y
Internationalization=i18n
SEO Optimization
Progressive Web Apps=PWA
Single Page Applications=^SPA
Server-Side Rendering=SSR
AUTOSAR
CAN Bus
Modbus
PLC Programming=PLC
SCADA
LabVIEW
Simulink
AutoCAD
SolidWorks
CATIA
ANSYS
Creo
Fusion 360
Revit
Civil 3D
STAAD Pro
ETABS
GD&T
Finite Element Analysis=FEA
CFD=Computational Fluid Dynamics
Thermodynamics
HVAC
Mechanical Design
Electrical Design
Circuit Design
Analog Design
Digital Design
Signal Processing=DSP
Power Electronics
Control Systems
RF Engineering=RF
Antenna Design
Telecommunications
5G
LTE
Structural Engineering
Geotechnical Engineering
Surveying
GIS=ArcGIS=QGIS
Six Sigma=Lean Six Sigma
CNC Programming=CNC
3D Printing=Additive Manufacturing
Injection Molding
Sheet Metal Design
Quality Engineering
Reliability Engineering
Process Engineering
Chemical Engineering
Semiconductor
VLSI
ASIC
Cadence
Synopsys
Mentor Graphics
Altium Designer=Altium
KiCad
Eagle
Oscilloscope
SPICE=LTspice
"""

CATS["data"] = """
SQL
PostgreSQL=Postgres=psql
MySQL
MariaDB
SQLite
Oracle Database=Oracle DB=Oracle
Microsoft SQL Server=SQL Server=MSSQL
IBM Db2=DB2
MongoDB=Mongo
Redis
Memcached
Cassandra=Apache Cassandra
ScyllaDB
DynamoDB=Amazon DynamoDB
Couchbase
CouchDB
Neo4j
ArangoDB
Elasticsearch=Elastic Search
OpenSearch
Solr=Apache Solr
Lucene
InfluxDB
TimescaleDB
ClickHouse
Druid=Apache Druid
Pinot
CockroachDB
TiDB
Vitess
HBase
Bigtable
Firestore
Cosmos DB=Azure Cosmos DB
Snowflake
BigQuery=Google BigQuery
Redshift=Amazon Redshift
Azure Synapse=Synapse Analytics
Databricks
Teradata
Vertica
Greenplum
Netezza
Presto
Trino
Athena=Amazon Athena
Hive=Apache Hive
Impala
Spark=Apache Spark
PySpark
Spark SQL
Spark Streaming
Hadoop=Apache Hadoop
HDFS
MapReduce
YARN
Pig
Sqoop
Oozie
Flink=Apache Flink
Storm
Beam=Apache Beam
Kafka=Apache Kafka
Kafka Streams
Pulsar
RabbitMQ
ActiveMQ
ZeroMQ
NATS
Amazon Kinesis=Kinesis
Google Pub/Sub=Pub/Sub
Airflow=Apache Airflow
Luigi
Prefect
Dagster
dbt=data build tool
Fivetran
Stitch
Airbyte
Informatica
Talend
SSIS
SSAS
SSRS
Alteryx
Matillion
Azure Data Factory=ADF
AWS Glue=Glue
Delta Lake
Apache Iceberg=Iceberg
Apache Hudi=Hudi
Parquet
ORC
NiFi=Apache NiFi
ETL=ELT=ETL Pipelines
Data Pipelines
Data Engineering
Data Warehousing=Data Warehouse
Data Lake
Data Lakehouse
Data Modeling=Data Modelling
Dimensional Modeling
Star Schema
Data Governance
Data Quality
Data Catalog
Master Data Management=MDM
Data Migration
Data Integration
Data Mining
Data Cleaning=Data Wrangling=Data Cleansing
Data Analysis=Data Analytics
Data Visualization=Data Visualisation
Data Science
Big Data
Business Intelligence=^BI
Tableau
Power BI=PowerBI
Looker
Looker Studio=Google Data Studio=Data Studio
Qlik=QlikView=Qlik Sense
MicroStrategy
Sisense
Domo
Metabase
Superset=Apache Superset
Mode Analytics
Redash
SAS
SPSS
Stata
!R=R Programming=RStudio
ggplot2
dplyr
tidyverse
Shiny
Pandas
NumPy
SciPy
Matplotlib
Seaborn
Plotly
Bokeh
Jupyter=Jupyter Notebook=JupyterLab
Google Colab=Colab
Polars
Dask
Ray
Vaex
Statistics=Statistical Analysis=Statistical Modeling
Probability
Hypothesis Testing
A/B Testing=AB Testing=Split Testing
Experimental Design=Design of Experiments
Regression Analysis=Regression
Linear Regression
Logistic Regression
Time Series Analysis=Time Series=Time Series Forecasting
Forecasting
Bayesian Statistics=Bayesian Inference
Causal Inference
Econometrics
Survival Analysis
Multivariate Analysis
Monte Carlo Simulation
Optimization=Mathematical Optimization
Linear Programming
Operations Research
Machine Learning=ML
Deep Learning=DL
Artificial Intelligence=AI
Natural Language Processing=NLP
Natural Language Understanding=NLU
Large Language Models=LLM=LLMs
Generative AI=GenAI
Prompt Engineering
Retrieval-Augmented Generation=^RAG
Transformers=Hugging Face Transformers
Hugging Face
LangChain
LlamaIndex
OpenAI API
BERT
GPT
Word2Vec
spaCy
NLTK
Gensim
Speech Recognition
Text Mining
Sentiment Analysis
Named Entity Recognition=NER
Information Retrieval
Recommender Systems=Recommendation Systems
Image Processing
Object Detection
Image Segmentation
YOLO
Reinforcement Learning
Supervised Learning
Unsupervised Learning
Clustering
Classification
Feature Engineering
Feature Selection
Dimensionality Reduction=PCA
Anomaly Detection
Fraud Detection
Neural Networks
Convolutional Neural Networks=CNN
Recurrent Neural Networks=RNN
LSTM
GANs=Generative Adversarial Networks
Diffusion Models
Graph Neural Networks=GNN
Decision Trees
Random Forest
Gradient Boosting
XGBoost
LightGBM
CatBoost
Support Vector Machines=SVM
K-Means
scikit-learn=sklearn=scikit learn=SciKit-Learn
TensorFlow
Keras
PyTorch
JAX
MXNet
Caffe
Theano
ONNX
TensorRT
OpenVINO
TensorFlow Lite=TFLite
Core ML
MLflow
Kubeflow
SageMaker=Amazon SageMaker=AWS SageMaker
Vertex AI
Azure Machine Learning=Azure ML
Weights & Biases=wandb
DVC
Feast
MLOps
Model Deployment
Model Monitoring
Model Evaluation
Hyperparameter Tuning
Cross-Validation
AutoML
H2O
DataRobot
RapidMiner
KNIME
Weka
Orange
Elastic MapReduce=Amazon EMR
Google Analytics=GA4
Adobe Analytics
Mixpanel
Amplitude
Heap
Segment
Snowplow
Excel Modeling
Pivot Tables
VLOOKUP
Google Sheets
Quantitative Analysis
Predictive Modeling=Predictive Analytics
Prescriptive Analytics
Descriptive Statistics
Inferential Statistics
Data Storytelling
Dashboards=Dashboard Development
KPI Reporting
Reporting
Web Scraping=BeautifulSoup=Scrapy
Geospatial Analysis
Network Analysis
Vector Databases=Pinecone=Weaviate=FAISS
Milvus
Chroma
Knowledge Graphs
Ontology
SPARQL
Cypher
"""

CATS["design"] = """
Figma
Sketch
Adobe XD
InVision
Zeplin
Framer
Axure
Balsamiq
Miro
Adobe Photoshop=Photoshop
Adobe Illustrator=Illustrator
Adobe InDesign=InDesign
Adobe After Effects=After Effects
Adobe Premiere Pro=Premiere Pro=Premiere
Adobe Lightroom=Lightroom
Adobe Creative Suite=Adobe Creative Cloud
Adobe Animate
Adobe Audition
Adobe Dreamweaver=Dreamweaver
CorelDRAW
Affinity Designer
Procreate
Canva
GIMP
Inkscape
Blender
Maya=Autodesk Maya
3ds Max
Cinema 4D
ZBrush
Substance Painter
Houdini
Nuke
DaVinci Resolve
Final Cut Pro
Avid Media Composer
Logic Pro
Pro Tools
Ableton Live
UI Design=User Interface Design
UX Design=User Experience Design
UI/UX=UI UX=UX/UI
Interaction Design
Visual Design
Graphic Design
Web Design
Mobile Design
Product Design
Service Design
Information Architecture
Wireframing
Prototyping
Rapid Prototyping
User Research=UX Research
Usability Testing
User Testing
Design Thinking
Design Systems
Typography
Color Theory
Layout Design
Branding=Brand Identity
Logo Design
Illustration
Motion Graphics
Animation
2D Animation
3D Animation
3D Modeling
Rendering
Video Editing
Video Production
Photography
Photo Editing=Retouching
Print Design
Packaging Design
Editorial Design
Infographics
Storyboarding
Persona Development=User Personas
Journey Mapping=Customer Journey Mapping
Card Sorting
Heuristic Evaluation
Accessibility Design
Responsive Design
Material Design
Human Interface Guidelines
Design Critique
Art Direction
Creative Direction
Industrial Design
Interior Design
Fashion Design
Textile Design
Game Design
Level Design
Sound Design
Copywriting
Content Design
UX Writing
Content Strategy
Visual Merchandising
Exhibition Design
Environmental Design
Landscape Architecture
Architecture Design
SketchUp
Rhino=Rhinoceros
Grasshopper
V-Ray
Lumion
Enscape
Keyshot
Spline
Principle
ProtoPie
Origami Studio
Maze
Hotjar
UserTesting
Optimal Workshop
Lookback
Dovetail
Abstract
"""

CATS["business"] = """
Project Management
Program Management
Portfolio Management
Product Management
Product Strategy
Product Roadmapping=Roadmapping
Product Discovery
Product Analytics
Product Marketing
Go-to-Market Strategy=GTM=Go-to-Market
Business Analysis
Business Strategy
Strategic Planning
Business Development
Business Process Improvement
Business Process Modeling=BPMN
Business Intelligence Reporting
Requirements Gathering=Requirements Analysis
User Stories
Stakeholder Management
Change Management
Risk Management
Vendor Management
Contract Management
Contract Negotiation
Negotiation
Budgeting
Budget Management
Cost Reduction
Resource Planning
Capacity Planning
Competitive Analysis
Market Research
Market Analysis
Consumer Insights
SWOT Analysis
Business Case Development
Feasibility Studies
Process Mapping
Process Improvement
Operational Excellence
OKRs
KPIs=KPI
Performance Management
Team Leadership
!Leadership
People Management
Team Management
Mentoring=Mentorship
Coaching
!Communication=Communication Skills=Verbal Communication=Written Communication
Public Speaking
Presentation Skills=Presentations
Problem Solving=Problem-Solving
Critical Thinking
Decision Making
Time Management
Teamwork=Collaboration
Cross-functional Collaboration
Conflict Resolution
Emotional Intelligence
Adaptability
Creativity
Attention to Detail
Organizational Skills
Multitasking
Interpersonal Skills
Customer Focus
Facilitation
Workshop Facilitation
Storytelling
Consulting=Management Consulting
Strategy Consulting
Due Diligence
Mergers and Acquisitions=M&A
Corporate Strategy
Corporate Development
Entrepreneurship
Startup
Innovation Management
Agile Coaching
Scrum Master
Product Owner
PMP Methodology
PRINCE2
ITIL
COBIT
TOGAF
Enterprise Architecture
IT Service Management=ITSM
ServiceNow
Microsoft Project=MS Project
Smartsheet
Monday.com
Wrike
Basecamp
ClickUp
Airtable
Microsoft Office=MS Office=Office 365=Microsoft 365
!Excel=Microsoft Excel=MS Excel=Advanced Excel
Microsoft Word=MS Word
PowerPoint=Microsoft PowerPoint=MS PowerPoint
Microsoft Outlook=Outlook
Microsoft Teams
Google Workspace=G Suite
SharePoint
Visio=Microsoft Visio
Lotus Notes
Marketing
Digital Marketing=Online Marketing
Content Marketing
Email Marketing
Social Media Marketing=SMM
Social Media Management
Influencer Marketing
Affiliate Marketing
Performance Marketing
Growth Marketing=Growth Hacking
Brand Management
Brand Strategy
Marketing Strategy
Marketing Automation
Marketing Analytics
Campaign Management
SEO=Search Engine Optimization
SEM=Search Engine Marketing
PPC=Pay-Per-Click
Google Ads=AdWords
Facebook Ads=Meta Ads
LinkedIn Ads
Programmatic Advertising
Media Planning
Media Buying
Public Relations
Corporate Communications
Internal Communications
Crisis Communications
Event Management=Event Planning
Trade Shows
Community Management
Conversion Rate Optimization=CRO
Customer Segmentation
Customer Retention
Customer Lifecycle Management
Loyalty Programs
Pricing Strategy
Product Launch
Market Segmentation
HubSpot
Marketo
Pardot
Mailchimp
Hootsuite
Buffer
Sprout Social
SEMrush
Ahrefs
Moz
Google Tag Manager=GTM Tags
Google Search Console
Optimizely
Unbounce
Human Resources=^HR
Recruiting=Recruitment=Talent Acquisition
Technical Recruiting
Sourcing=Candidate Sourcing
Headhunting
Interviewing
Employer Branding
Onboarding
Employee Relations
Employee Engagement
Compensation and Benefits=Compensation=C&B
Payroll
HRIS
Workday
SuccessFactors=SAP SuccessFactors
BambooHR
Greenhouse
Lever
Taleo
iCIMS
ADP
Learning and Development=L&D
Training and Development=Training Delivery
Instructional Design
Curriculum Development
Succession Planning
Workforce Planning
Organizational Development
Talent Management
Diversity and Inclusion=DEI=D&I
Labor Law=Employment Law
HR Policies
HR Analytics=People Analytics
Legal Research
Contract Drafting
Corporate Law
Intellectual Property=IP Law
Litigation
Legal Compliance
Regulatory Compliance
Paralegal
Compliance Management
Policy Development
Corporate Governance
Ethics
Grant Writing
Fundraising
Nonprofit Management
Public Policy
Government Relations
Lobbying
Translation
Interpretation
Editing=Copy Editing
Proofreading
Journalism
Content Writing
Blogging
Creative Writing
Research
Academic Research
Teaching
Tutoring
Classroom Management
Lesson Planning
E-Learning
Moodle
Canvas LMS
Blackboard
Articulate Storyline
Adobe Captivate
Customer Service
Customer Support
Customer Experience=CX
Customer Success
Help Desk
Technical Support
Zendesk
Freshdesk
Intercom
Call Center
Complaint Handling
Hospitality
Front Desk
Food and Beverage
Culinary Arts
Retail Management
Store Management
Merchandising
Real Estate
Property Management
Leasing
Insurance
Underwriting
Claims Processing
Claims Management
Actuarial Science
"""

CATS["sales"] = """
Sales=Selling
B2B Sales=B2B Selling
B2C Sales
Inside Sales
Outside Sales=Field Sales
Enterprise Sales
SaaS Sales
Solution Selling
Consultative Selling
Value Selling
SPIN Selling
Challenger Sale
MEDDIC=MEDDPICC
Sandler
Strategic Selling
Channel Sales
Partner Management=Channel Partner Management
Alliance Management
Key Account Management=KAM
Account Management
Strategic Account Management
Territory Management
Territory Planning
Sales Management
Sales Leadership
Sales Strategy
Sales Operations=Sales Ops
Sales Enablement
Sales Training
Sales Forecasting
Sales Analytics
Pipeline Management
Lead Generation
Lead Qualification
Lead Nurturing
Prospecting
Cold Calling
Cold Emailing
Outbound Sales
Inbound Sales
Social Selling
Demand Generation
Account-Based Marketing=ABM
Closing=Deal Closing
Upselling
Cross-selling
Renewals
Quota Attainment
Revenue Growth
Revenue Operations=RevOps
Sales Presentations
Product Demonstrations=Product Demos
Proposal Writing=RFP Responses=RFP
Pricing Negotiation
Contract Closing
Relationship Building
Client Relationship Management=Client Relations
Customer Relationship Management=CRM
Salesforce=Salesforce CRM=SFDC
Salesforce Sales Cloud=Sales Cloud
Salesforce Service Cloud=Service Cloud
HubSpot CRM
Microsoft Dynamics 365=Dynamics 365=Dynamics CRM
Zoho CRM
Pipedrive
Outreach
Salesloft
Gong
Chorus
ZoomInfo
LinkedIn Sales Navigator=Sales Navigator
Apollo.io
Clari
CPQ
DocuSign
Retail Sales
Wholesale
Distribution Management
Dealer Management
FMCG Sales
Pharmaceutical Sales=Pharma Sales
Medical Device Sales
Real Estate Sales
Insurance Sales
Automotive Sales
Telesales=Telemarketing
Door-to-Door Sales
Export Sales
International Sales
Government Sales
Pre-Sales=Presales
Solutions Engineering=Sales Engineering
Technical Sales
Customer Acquisition
Market Expansion
Sales Funnel Optimization
Win-Loss Analysis
Commission Planning
Incentive Compensation
Merchandise Planning
Category Management
Trade Marketing
Visual Selling
Point of Sale=POS
E-commerce=Ecommerce
Amazon Seller Central
Marketplace Management
"""

CATS["finance"] = """
Accounting
Financial Accounting
Management Accounting=Managerial Accounting
Cost Accounting
Tax Accounting
Forensic Accounting
Bookkeeping
General Ledger=^GL
Accounts Payable
Accounts Receivable
Bank Reconciliation=Reconciliation=Account Reconciliation
Month-End Close=Month End Closing
Year-End Close
Journal Entries
Fixed Assets
Accruals
Revenue Recognition=ASC 606=IFRS 15
Lease Accounting=ASC 842=IFRS 16
Consolidation=Financial Consolidation
Intercompany Accounting
GAAP=US GAAP
IFRS
Ind AS
Financial Reporting
Financial Statements
Financial Analysis
Financial Modeling=Financial Modelling
Financial Planning
FP&A=Financial Planning and Analysis
Budgeting and Forecasting
Variance Analysis
Cash Flow Management=Cash Management
Treasury=Treasury Management
Working Capital Management
Liquidity Management
Capital Budgeting
Capital Markets
Corporate Finance
Investment Banking
Equity Research
Credit Analysis
Credit Risk
Market Risk
Operational Risk
Risk Assessment
Risk Analysis
Enterprise Risk Management=ERM
Basel III
Stress Testing
Valuation=Business Valuation
DCF=Discounted Cash Flow
LBO Modeling=LBO
Comparable Company Analysis=Comps
Portfolio Management Investments=Investment Portfolio Management
Asset Management
Wealth Management
Private Equity
Venture Capital
Hedge Funds
Fixed Income
Equities
Derivatives
Options Trading
Foreign Exchange=Forex=FX
Commodities
Trading
Algorithmic Trading
Quantitative Finance
Financial Engineering
Portfolio Optimization
Asset Allocation
Investment Analysis
Fundamental Analysis
Technical Analysis
Bloomberg Terminal=Bloomberg
Reuters Eikon=Refinitiv
FactSet
Capital IQ=S&P Capital IQ
Morningstar
Audit=Auditing
Internal Audit
External Audit
IT Audit
Statutory Audit
SOX Compliance=SOX=Sarbanes-Oxley
Internal Controls
Anti-Money Laundering=AML
KYC=Know Your Customer
Fraud Prevention
Taxation=Tax
Direct Tax
Indirect Tax
GST
VAT
Income Tax
Corporate Tax
Transfer Pricing
Tax Planning
Tax Compliance
Tax Preparation
Payroll Accounting
Cost Control
Cost Analysis
Profitability Analysis
Pricing Analysis
Billing
Invoicing
Collections
Credit Control
Expense Management
Procurement Finance
Financial Audit
Financial Compliance
Regulatory Reporting
Management Reporting
Board Reporting
Investor Relations
Fundraising Finance=Capital Raising
Mergers Integration
Actuarial Modeling
Insurance Accounting
Banking
Retail Banking
Corporate Banking
Commercial Banking
Loan Processing
Mortgage Lending=Mortgages
Credit Underwriting
Microfinance
Payments
Fintech
Cryptocurrency
SAP FICO=SAP FI=SAP CO
SAP=SAP ERP
SAP S/4HANA=S/4HANA
Oracle Financials
Oracle EBS
NetSuite=Oracle NetSuite
QuickBooks
Xero
Tally=Tally ERP
Sage
FreshBooks
Zoho Books
Hyperion
Anaplan
Adaptive Insights=Workday Adaptive Planning
BlackLine
Concur=SAP Concur
Coupa
Kyriba
ERP=Enterprise Resource Planning
Microsoft Dynamics GP
CPA
CFA
ACCA
CMA
Chartered Accountancy
"""

CATS["operations"] = """
Operations Management
Supply Chain Management=SCM=Supply Chain
Logistics
Logistics Management
Procurement
Strategic Sourcing
Purchasing
Supplier Management=Supplier Relationship Management
Vendor Negotiation
Inventory Management=Inventory Control
Warehouse Management=Warehousing
WMS
Distribution
Transportation Management=TMS
Fleet Management
Freight Forwarding
Import/Export=Import Export
Customs Compliance
Demand Planning
Supply Planning
S&OP=Sales and Operations Planning
Production Planning
Production Management
Manufacturing
Lean Manufacturing
Kaizen
5S
Kanban Systems
Just-in-Time=JIT
Total Quality Management=TQM
Quality Control=QC
Quality Assurance Operations
Quality Management Systems=QMS
ISO 9001
Root Cause Analysis=RCA
FMEA
SPC=Statistical Process Control
Process Optimization
Continuous Improvement
Value Stream Mapping
Theory of Constraints
Capacity Management
Scheduling
Shift Management
Facilities Management
Maintenance Management
Preventive Maintenance
Asset Management Operations
Health and Safety=HSE=EHS
OSHA
Safety Management
Environmental Compliance
Fleet Operations
Order Management
Order Fulfillment
Last-Mile Delivery
Route Optimization
Cold Chain
Material Requirements Planning=MRP
MRP II
SAP MM
SAP SD
SAP PP
SAP WM
SAP EWM
Oracle SCM
JDA
Blue Yonder
Manhattan Associates
Kinaxis
Tableau Operations
Business Continuity Planning=BCP
Disaster Recovery
Crisis Management
Office Management
Administration=Office Administration
Executive Assistance
Calendar Management
Travel Management
Data Entry
Records Management
Document Control
Customer Operations
Service Delivery
SLA Management
Incident Management
Problem Management
Workforce Management
Operations Research Ops
Planning
Project Coordination
Program Coordination
Construction Management
Site Management
Contract Administration
Estimating=Cost Estimation
Quantity Surveying
Civil Engineering
Building Codes
Property Maintenance
Energy Management
Sustainability
ESG
Carbon Accounting
Lean Operations
Agile Operations
Field Operations
Dispatch
Security Operations Management
Aviation Operations
Maritime Operations
Retail Operations
Restaurant Operations
Hotel Operations
Clinical Operations
Lab Operations
Regulatory Affairs
Import Documentation
Incoterms
EDI
RFID
Barcode Systems
Forklift Operation
Material Handling
Packaging
Labeling
Inbound Logistics
Outbound Logistics
Reverse Logistics
3PL
Vendor Audits
Purchase Orders
Tendering
E-Procurement
Ariba=SAP Ariba
Spend Analysis
Category Sourcing
Contract Lifecycle Management=CLM
"""

CATS["healthcare"] = """
Patient Care
Patient Assessment
Patient Education
Patient Advocacy
Patient Safety
Bedside Manner
Vital Signs
Medication Administration
IV Therapy=IV Insertion
Phlebotomy
Wound Care
Infection Control
Triage
Critical Care=ICU
Emergency Medicine=Emergency Care
Acute Care
Primary Care
Pediatrics=Paediatrics
Geriatrics
Obstetrics=OB/GYN
Gynecology
Neonatal Care=NICU
Oncology
Cardiology
Neurology
Orthopedics
Dermatology
Psychiatry
Psychology
Mental Health
Behavioral Health
Counseling
Psychotherapy
Cognitive Behavioral Therapy=CBT
Substance Abuse Counseling
Social Work
Case Management
Care Coordination
Discharge Planning
Home Health Care=Home Health
Hospice Care=Palliative Care
Long-Term Care
Rehabilitation
Physical Therapy=Physiotherapy
Occupational Therapy
Speech Therapy=Speech-Language Pathology
Respiratory Therapy
Radiology
Medical Imaging
MRI
CT Scan
Ultrasound=Sonography
X-Ray
Mammography
Nuclear Medicine
Radiation Therapy
Anesthesia=Anaesthesia
Surgery=Surgical Procedures
Surgical Assistance
Operating Room
Sterilization
Clinical Research
Clinical Trials
Good Clinical Practice=GCP Compliance
Clinical Data Management
Pharmacovigilance
Drug Safety
Medical Writing
Regulatory Submissions
FDA Regulations=FDA
ICH Guidelines
Biostatistics
Epidemiology
Public Health
Health Policy
Health Informatics
Healthcare Administration=Hospital Administration
Healthcare Management
Healthcare Operations
Revenue Cycle Management=RCM
Medical Billing
Medical Coding
ICD-10=ICD-10-CM
CPT Coding=CPT
HCPCS
Medical Terminology
Medical Records
Electronic Health Records=EHR=EMR=Electronic Medical Records
Epic=Epic Systems
Cerner
Meditech
Allscripts
athenahealth
eClinicalWorks
NextGen
HL7
FHIR
DICOM
PACS
HIPAA
Clinical Documentation
Prior Authorization
Insurance Verification
Patient Scheduling
Healthcare Compliance
Quality Improvement Healthcare=Healthcare Quality
Joint Commission
CPR
BLS=Basic Life Support
ACLS=Advanced Cardiac Life Support
PALS
First Aid
EKG=ECG
Telemetry
Ventilator Management
Dialysis
Diabetes Management
Chronic Disease Management
Nutrition=Dietetics
Clinical Nutrition
Pharmacy
Pharmacology
Dispensing
Compounding
Medication Therapy Management
Laboratory Testing=Lab Testing
Clinical Laboratory
Microbiology
Hematology
Biochemistry
Molecular Biology
PCR
Cell Culture
ELISA
Western Blot
Flow Cytometry
Histology
Pathology
Cytology
Genomics
Bioinformatics
CRISPR
Immunology
Virology
Toxicology
Pharmacokinetics
Drug Discovery
Medical Devices
Biomedical Engineering
Dental Care=Dentistry
Dental Hygiene
Orthodontics
Optometry
Audiology
Veterinary Medicine=Veterinary
Nursing
Registered Nurse=^RN
Nurse Practitioner=^NP
Licensed Practical Nurse=LPN
Certified Nursing Assistant=CNA
Medical Assistant
Emergency Medical Technician=EMT
Paramedic
Midwifery
Telehealth=Telemedicine
Health Coaching
Fitness Training=Personal Training
Yoga Instruction
Massage Therapy
Chiropractic
Acupuncture
Occupational Health
Environmental Health
Health Education
Community Health
Global Health
Maternal Health
Child Development
Autism Therapy=ABA=Applied Behavior Analysis
Special Education
Sign Language
Elder Care
Caregiving
Medical Sales Support
Hospital Information Systems
Clinical Decision Support
Population Health
Utilization Review
Peer Review
Credentialing
Healthcare Analytics
"""

CATS["certification"] = """
PMP=Project Management Professional
CAPM
Certified ScrumMaster=CSM
PSM=Professional Scrum Master
CSPO
PMI-ACP
AWS Certified Solutions Architect
AWS Certified Developer
AWS Certified SysOps Administrator
AWS Certified DevOps Engineer
AWS Certified Cloud Practitioner
AWS Certified Machine Learning
Azure Fundamentals=AZ-900
Azure Administrator=AZ-104
Azure Solutions Architect=AZ-305
Azure Developer=AZ-204
Google Professional Cloud Architect
Google Professional Data Engineer
CKA=Certified Kubernetes Administrator
CKAD
CCNA
CCNP
CCIE
CompTIA A+
CompTIA Network+
CompTIA Security+
CISSP
CISM
CISA
CEH=Certified Ethical Hacker
OSCP
GIAC
Oracle Certified Professional=OCP
Red Hat Certified Engineer=RHCE
RHCSA
Salesforce Certified Administrator
Salesforce Certified Developer
Tableau Desktop Specialist
Microsoft Certified Data Analyst
Google Data Analytics Certificate
Databricks Certified
Snowflake SnowPro
Six Sigma Green Belt=Green Belt
Six Sigma Black Belt=Black Belt
CSCP
CPIM
CPSM
SHRM-CP
SHRM-SCP
PHR
SPHR
CFP
FRM
Certified Internal Auditor=^CIA
Enrolled Agent
CPC=Certified Professional Coder
CCS
RHIA
RHIT
NCLEX
CCRN
CEN
OSHA 30
NEBOSH
LEED
ITIL Foundation
TOGAF Certified
COBIT Certified
Google Ads Certification
HubSpot Inbound Certification
"""

CATS["languages"] = """
English
Spanish
French
German
Mandarin=Chinese
Cantonese
Japanese
Korean
Hindi
Bengali
Tamil
Telugu
Marathi
Gujarati
Kannada
Malayalam
Punjabi
Urdu
Arabic
Persian=Farsi
Turkish
Russian
Ukrainian
Polish
Portuguese
Italian
Dutch
Swedish
Norwegian
Danish
Finnish
Greek
Hebrew
Swahili
Yoruba
Igbo
Hausa
Amharic
Zulu
Vietnamese
Thai
Indonesian=Bahasa Indonesia
Malay
Tagalog=Filipino
"""

# Services of the three big clouds, each a skill of its own.
AWS = ("EC2 S3 Lambda RDS ECS EKS Fargate CloudFront Route 53=Route53 VPC "
       "SQS SNS Kinesis_Firehose CloudWatch IAM_Policies API_Gateway Step_Functions "
       "Elastic_Beanstalk Aurora ElastiCache EventBridge Cognito CodePipeline "
       "CodeBuild CodeDeploy Lake_Formation QuickSight Bedrock Batch Secrets_Manager "
       "KMS Systems_Manager Direct_Connect Transit_Gateway Amplify AppSync "
       "Lightsail Outposts Redshift_Spectrum DMS Snowball Textract Rekognition "
       "Comprehend Polly Lex Connect MSK OpenSearch_Service WAF Shield GuardDuty "
       "Security_Hub Config Organizations Control_Tower X-Ray_Tracing App_Runner")
AZURE = ("Functions App_Service AKS Blob_Storage SQL_Database Active_Directory=Azure_AD=Entra_ID "
         "DevOps_Pipelines Monitor Key_Vault Event_Hubs Service_Bus Logic_Apps "
         "Databricks_Workspace Stream_Analytics Cognitive_Services OpenAI_Service "
         "Virtual_Machines Virtual_Network Front_Door API_Management Container_Apps "
         "Container_Instances Sentinel Purview Data_Lake_Storage=ADLS Cosmos_Graph "
         "Bicep ARM_Templates Policy Arc")
GCP = ("Compute_Engine Cloud_Storage=GCS Cloud_Functions Cloud_Run GKE App_Engine "
       "Cloud_SQL Spanner Dataflow Dataproc Pub/Sub_Lite Composer Dataform "
       "Looker_Modeling=LookML Vertex_Pipelines Cloud_Build Cloud_Monitoring "
       "Cloud_Logging Firestore_Native Memorystore Anthos Apigee Cloud_Armor "
       "Cloud_CDN Cloud_DNS Filestore Document_AI AutoML_Tables")


# Two-letter spellings that are also places or words (CA, OR, AR, AP, PR,
# CT, CAN) are left out: "San Francisco, CA" is no accountancy degree.
# Ordinary English words that are also names of tools: only as written.
CASE_WORDS = set("""Rust Swift Dart Crystal Scheme Racket Elm Apex React Gatsby
Remix Babel Rollup Parcel Bootstrap Less Karma Jest Mocha Chai Jasmine Postman
Locust Koa Hapi Meteor Flask Pyramid Tornado Celery Ant Struts Unity Phoenix
Gin Echo Fiber Rocket Electron Ionic Helm Envoy Consul Vault Nomad Chef Puppet
Vagrant Packer Bamboo Flux Sentry Eclipse Linear Slack Notion Asana Eagle
Cadence Druid Pinot Athena Hive Impala Spark Pig Storm Beam Pulsar Luigi
Prefect Stitch Shiny Ray Orange Heap Segment Amplitude Feast Chroma Sketch
Framer Miro Maya Nuke Rhino Grasshopper Spline Principle Maze Abstract Lookback
Buffer Moz Lever Greenhouse Outreach Gong Chorus Sage Tally Concur Epic Domo
Lean ARM Julia Ada Pascal Scheme Crystal Prolog Sandler Clari Feast Dovetail
Enscape Lumion Keyshot Procreate Canva Hotjar Basecamp Wrike Kinaxis Ariba
Closing Dispatch Collections""".split())


def rows():
    out = []
    for cat, block in CATS.items():
        for line in block.strip().splitlines():
            line = line.strip()
            if not line:
                continue
            rule = "any"
            if line[0] == "!":
                rule, line = "ctx", line[1:]
            elif line[0] == "^":
                rule, line = "case", line[1:]
            parts = [p.strip() for p in line.split("=")]
            if rule == "any" and parts[0] in CASE_WORDS:
                rule = "case"
            out.append((parts[0], cat, parts[1:], rule))
    for prefix, cat, block in (("AWS", "engineering", AWS),
                               ("Azure", "engineering", AZURE),
                               ("GCP", "engineering", GCP)):
        for item in block.split():
            parts = [p.replace("_", " ") for p in item.split("=")]
            name = "%s %s" % (prefix, parts[0])
            aliases = [parts[0]] if prefix == "AWS" and len(parts[0]) > 3 \
                and parts[0] not in ("Batch", "Config", "Connect", "Shield",
                                     "Lex", "Polly", "Amplify", "Comprehend",
                                     "Organizations", "Lambda", "Aurora",
                                     "Cognito", "Textract") else []
            if prefix == "AWS":
                aliases.append("Amazon " + parts[0])
            if prefix == "GCP":
                aliases.append("Google " + parts[0])
                aliases.append("Google Cloud " + parts[0])
            aliases += parts[1:]
            out.append((name, cat, aliases, "any"))
    return out


def variants(name):
    """Spellings people write: Node.js as NodeJS and Node JS."""
    v = set()
    if re.search(r"\.js$", name, re.I):
        v.add(name[:-3] + "JS")
        v.add(name[:-3] + " JS")
    if "-" in name:
        v.add(name.replace("-", " "))
    return v


def main():
    seen = {}
    lines = ["# Connectify skills taxonomy: name<TAB>category<TAB>aliases"
             " (|-separated)<TAB>rule (any|case|ctx)",
             "# Edit freely; the worker reloads it on SIGHUP."]
    for name, cat, aliases, rule in rows():
        key = name.lower()
        if key in seen:
            sys.exit("duplicate skill: %s" % name)
        seen[key] = 1
        al = []
        for a in list(aliases) + sorted(variants(name)):
            if a.lower() != key and a not in al:
                al.append(a)
        lines.append("\t".join((name, cat, "|".join(al), rule)))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
